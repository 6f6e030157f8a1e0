// A JSON body nested about 2,000 levels deep (a few KB, far below the 1 MB limit) in any field
// made class-transformer run out of call stack: a 500 on the plugin's write endpoints, also
// anonymously (`/tokens/revoke`) and through a token whose restrictions read the body
// (`[JsonData::…]`, the filter parses the body before the host does). The host now refuses any
// JSON body nested deeper than MAX_JSON_DEPTH where bodies are parsed, with 400 and
// `{"errorMessage"}`, before any resource sees it, and nothing changes.
import { expect } from 'chai';
import path from 'node:path';
import { PropertiesI18nResolver } from '../../../host-sim/impl/i18n/PropertiesI18nResolver';
import { MAX_JSON_DEPTH } from '../../../host-sim/web/jsonDepth';
import { ROOT } from '../../support/hostServer';
import { rawRequest } from '../restrictions/support/rawHttp';
import { API, dumpDatabase, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const hostI18n = new PropertiesI18nResolver([path.join(ROOT, 'i18n', 'hostsim')]);

/** JSON text of a value `depth` arrays deep (`[[…]]`): about 2 bytes a level. */
const arrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** JSON text of a value `depth` objects deep (`{"a":{"a":…1}}`). */
const objects = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** A body (one object) whose `field` holds `value`, as JSON text: the body nests one level more. */
const bodyWith = (fields: Record<string, unknown>, field: string, value: string): string => {
  const rest = JSON.stringify(fields).slice(1, -1);
  return `{${rest}${rest ? ',' : ''}${JSON.stringify(field)}:${value}}`;
};

const ATTACK_DEPTH = 2000;
const DEPTH_MESSAGE = hostI18n.getText('en', 'hostsim.error.json.depth', MAX_JSON_DEPTH);

describe('deep JSON attack', () => {
  let e2e: E2eEnv;
  let id: number;
  before(async () => {
    e2e = await startE2e('jira', 'sqlite');
    ({ id } = await e2e.createToken('alice', { tokenDescription: 'stays as it is' }));
  });
  after(() => stopAndCheckLeaks(e2e));

  const snapshot = async (): Promise<string> => {
    const settings = (await e2e.as('admin', `${API}/admin/settings`)).json;
    const page = (await e2e.as('admin', `${API}/user/tokensByFilter`)).json as { content?: Array<Record<string, unknown>> };
    // Token use (last access) may change; what a write could change may not.
    const tokens = (page.content ?? []).map(({ id: tokenId, description, tokenScope, validUntil }) => ({ tokenId, description, tokenScope, validUntil }));
    const users = (await e2e.host.runtime.users.listUsers(0, 1000)).map((u) => u.name);
    const db = await dumpDatabase(e2e.host.dbUrl);
    return JSON.stringify({ settings, tokens, users, kept: db.includes('stays as it is') });
  };

  /** [who, method, path, body text] of every plugin endpoint that reads a JSON body. */
  const pluginCases = (deep: string): Array<[('admin' | 'alice' | null), string, string, string]> => [
    ['alice', 'POST', `${API}/user/token`, bodyWith({ tokenDescription: 'd' }, 'restrictions', deep)],
    ['alice', 'POST', `${API}/user/token`, bodyWith({}, 'tokenDescription', deep)],
    ['alice', 'POST', `${API}/user/token`, bodyWith({ tokenDescription: 'd' }, 'ipAllowlist', deep)],
    ['alice', 'PATCH', `${API}/user/token/${id}`, bodyWith({}, 'tokenDescription', deep)],
    ['alice', 'PATCH', `${API}/user/token/${id}`, bodyWith({}, 'restrictions', deep)],
    ['alice', 'POST', `${API}/user/token/${id}/rotate`, bodyWith({}, 'tokenValidityTimeInMonths', deep)],
    ['admin', 'PUT', `${API}/admin/settings`, bodyWith({}, 'tokenUserGroups', deep)],
    ['admin', 'PUT', `${API}/admin/settings`, bodyWith({}, 'ipAllowlist', deep)],
    ['admin', 'POST', `${API}/admin/tokens/lookup`, bodyWith({}, 'token', deep)],
    ['admin', 'POST', `${API}/admin/tokens/delete`, bodyWith({}, 'filter', deep)],
    [null, 'POST', `${API}/tokens/revoke`, bodyWith({}, 'tokens', deep)],
    ['alice', 'POST', '/rest/api-tokens/latest/', bodyWith({}, 'label', deep)],
  ];

  const send = (who: 'admin' | 'alice' | null, method: string, target: string, body: string) => (who
    ? e2e.as(who, target, { method, body })
    : e2e.req(target, { method, body }));

  it('should refuse a deeply nested body on every plugin endpoint with 400 and errorMessage, and change nothing', async () => {
    const before = await snapshot();
    const problems: string[] = [];
    for (const deep of [arrays(ATTACK_DEPTH), objects(ATTACK_DEPTH)]) {
      for (const [who, method, target, body] of pluginCases(deep)) {
        const res = await send(who, method, target, body);
        if (res.status !== 400 || res.json?.errorMessage !== DEPTH_MESSAGE) problems.push(`${method} ${target} ${body.slice(0, 40)} → ${res.status} ${res.text.slice(0, 100)}`);
      }
    }
    expect(problems).to.deep.equal([]);
    expect(await snapshot()).to.equal(before);
    expect((await e2e.as('alice', '/rest/api/2/myself')).status).to.equal(200);
  });

  it('should refuse a deeply nested body on the host\'s own resources with 400', async () => {
    const before = await snapshot();
    const deep = arrays(ATTACK_DEPTH);
    const issue = `{"fields":{"project":{"key":"TEST"},"issuetype":{"name":"Bug"},"summary":"s","description":${deep}}}`;
    for (const [who, target, body] of [
      ['admin', '/rest/api/2/issue', issue],
      ['admin', '/rest/api/2/user', bodyWith({ name: 'mallory', password: 'pw', emailAddress: 'm@example.com' }, 'displayName', deep)],
      [null, '/rest/auth/1/session', bodyWith({ username: 'admin' }, 'password', deep)],
    ] as const) {
      const res = await send(who, 'POST', target, body);
      expect(res.status, target).to.equal(400);
      expect(res.json?.errorMessages, target).to.deep.equal([DEPTH_MESSAGE]);
    }
    expect(await snapshot()).to.equal(before);
  });

  it('should refuse a deeply nested body sent with a token whose restrictions read the body (JsonData)', async () => {
    const { plainTextToken: token } = await e2e.createToken('alice', {
      tokenDescription: 'body rules',
      restrictions: [
        `[POST].*${API}/user/token[JsonData::tokenDescription==ci]`,
        '[POST].*/rest/api-tokens/latest/[JsonData::label==ci]',
        '[POST].*/rest/api/2/issue[JsonData::fields.project.key==TEST]',
      ],
    });
    const before = await snapshot();
    const deep = arrays(ATTACK_DEPTH);
    for (const [target, body] of [
      [`${API}/user/token`, bodyWith({ tokenDescription: 'ci' }, 'restrictions', deep)],
      ['/rest/api-tokens/latest/', bodyWith({ label: 'ci' }, 'x', deep)],
      ['/rest/api/2/issue', `{"fields":{"project":{"key":"TEST"},"issuetype":{"name":"Bug"},"summary":"s","labels":${deep}}}`],
    ]) {
      // The rules admit it (the node matches), so the host's body check answers.
      const res = await e2e.req(target, { method: 'POST', bearer: token, body });
      expect(res.status, target).to.equal(400);
      expect(res.json?.errorMessage ?? res.json?.errorMessages?.[0], target).to.equal(DEPTH_MESSAGE);
      // The rules refuse it (the node does not match): the filter's 403, never a 500.
      const refused = await e2e.req(target, { method: 'POST', bearer: token, body: body.replace('"ci"', '"other"').replace('"TEST"', '"OTHER"') });
      expect(refused.status, target).to.equal(403);
    }
    expect(await snapshot()).to.equal(before);
    expect((await e2e.as('alice', '/rest/api/2/myself')).status).to.equal(200);
  });

  it('should take a body nested exactly to the limit, and refuse one level more', async () => {
    // The body object is level 1, so a field may nest MAX_JSON_DEPTH - 1 levels.
    const atLimit = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: bodyWith({ tokenDescription: 'd' }, 'restrictions', arrays(MAX_JSON_DEPTH - 1)) });
    // Read by the resource: the restrictions are refused as such (a field error), not the body.
    expect(atLimit.status).to.equal(400);
    expect(Object.keys(atLimit.json.errors ?? {})).to.have.length.above(0);
    expect(Object.keys(atLimit.json.errors).every((f) => f.startsWith('restrictions'))).to.equal(true);
    const over = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: bodyWith({ tokenDescription: 'd' }, 'restrictions', arrays(MAX_JSON_DEPTH)) });
    expect(over.status).to.equal(400);
    expect(over.json).to.deep.equal({ errorMessage: DEPTH_MESSAGE });
    const de = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: bodyWith({}, 'restrictions', arrays(MAX_JSON_DEPTH)), headers: { 'Accept-Language': 'de' } });
    expect(de.json.errorMessage).to.equal(hostI18n.getText('de', 'hostsim.error.json.depth', MAX_JSON_DEPTH));
  });

  it('should not count brackets inside strings', async () => {
    const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenDescription: `\\"${'[{'.repeat(120)}` } });
    expect(res.status).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
    const withRestrictions = await e2e.as('alice', `${API}/user/token`, {
      method: 'POST', body: { tokenDescription: 'ok', restrictions: `[POST].*/rest/api/2/issue[JsonData::fields.summary==${'\\['.repeat(100)}]` },
    });
    expect(withRestrictions.status).to.equal(200);
    e2e.issued.push(withRestrictions.json.plainTextToken);
  });

  it('should refuse a deeply nested body in UTF-16 too', async () => {
    const before = await snapshot();
    const body = Buffer.from(bodyWith({ tokenDescription: 'd' }, 'restrictions', arrays(ATTACK_DEPTH)), 'utf16le');
    const res = await rawRequest(e2e.host.url, `${API}/user/token`, {
      method: 'POST', basic: ['alice', e2e.users.alice.password], body, headers: { 'Content-Type': 'application/json; charset=utf-16le' },
    });
    expect(res.status).to.equal(400);
    expect(res.json?.errorMessage).to.equal(DEPTH_MESSAGE);
    expect(await snapshot()).to.equal(before);
  });
});
