// Malformed input on every endpoint: a 4xx with {"errorMessage"} (never a 500, never a stack
// trace) and no change to the token table or the settings.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import type { TestRequestOptions } from '../../support/hostServer';
import { API, dumpDatabase, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

type Case = [string, string, TestRequestOptions['body'] | undefined, Record<string, string>?];

function cases(id: number): Case[] {
  const json = { 'Content-Type': 'application/json' };
  const cases: Case[] = [];
  const create = (body: unknown, headers?: Record<string, string>) => cases.push(['POST', `${API}/user/token`, body as never, headers]);
  for (const body of [
    { tokenValidityTimeInMonths: 0 }, { tokenValidityTimeInMonths: -3 }, { tokenValidityTimeInMonths: 'twelve' }, { tokenValidityTimeInMonths: 1e300 },
    { tokenValidityTimeInMonths: 2.5 }, { tokenScope: 4 }, { tokenScope: '2' }, { tokenScope: [1] }, { tokenDescription: 17 }, { tokenDescription: 'd'.repeat(256) },
    { tokenDescription: { a: 1 } }, { tokenExpirationDateTime: '2026-13-01T00:00:00Z' }, { tokenExpirationDateTime: '2030-01-01T00:00:00' },
    { tokenExpirationDateTime: '2001-01-01T00:00:00Z' }, { tokenExpirationDateTime: '9999-01-01T00:00:00Z' }, { tokenExpirationDateTime: 12 },
    { tokenExpirationDateTime: 'x'.repeat(10000) }, { tokenExpirationDateTimeMillis: 'soon' }, { tokenExpirationDateTimeMillis: 1 },
    { tokenForUserKey: 'NO-SUCH-USER' }, { tokenForUserKey: '' }, { tokenForUserKey: 'k'.repeat(300) }, { unknownField: 1 },
    { restrictions: { bogus: 1 } }, { restrictions: '[GET].*(a' }, { ipAllowlist: ['not-an-ip'] }, [1, 2, 3], 'just a string', 42, null,
  ]) create(body);
  create('{"tokenDescription": ', json);
  create('tokenDescription=x', { 'Content-Type': 'application/x-www-form-urlencoded' });
  for (const body of [{}, { tokenDescription: '' }, { tokenDescription: 5 }, { tokenDescription: 'x'.repeat(300) }, { tokenScope: 3 }, { tokenExpirationDateTime: '2020-01-01T00:00:00Z' }, [1], '{bad']) {
    cases.push(['PATCH', `${API}/user/token/${id}`, body as never, typeof body === 'string' ? json : undefined]);
  }
  for (const badId of ['abc', '-1', '0', '1.5', '99999999999999999999', '%00', 'token']) {
    cases.push(['PATCH', `${API}/user/token/${badId}`, { tokenDescription: 'x' }]);
    cases.push(['DELETE', `${API}/user/token/${badId}`, undefined]);
    cases.push(['POST', `${API}/user/token/${badId}/rotate`, undefined]);
  }
  cases.push(['DELETE', `${API}/user/token/999999`, undefined], ['POST', `${API}/user/token/999999/rotate`, undefined]);
  for (const body of [{ tokenDescription: 'x' }, { tokenScope: 1 }, { tokenValidityTimeInMonths: 0 }, { tokenExpirationDateTime: '2001-01-01T00:00:00Z' },
    { tokenExpirationDateTime: '9999-01-01T00:00:00Z' }, { tokenExpirationDateTimeMillis: 'soon' }, [1], 'text']) {
    cases.push(['POST', `${API}/user/token/${id}/rotate`, body as never]);
  }
  for (const q of ['page=x', 'page=-1', 'limit=0', 'limit=abc', 'notValidAfter=tomorrow', 'notValidAfter=-2', 'tokenScope=9', 'tokenScope=one',
    'fromCreated=1e9', 'untilCreated=%20', 'fromLastUsed=--1', 'untilLastUsed=1.5', 'fromExpiresDuring=x', 'untilExpiresDuring=0x10',
    `descriptionFilter=${'d'.repeat(300)}`, 'page=1&page=2']) {
    cases.push(['GET', `${API}/user/tokensByFilter?${q}`, undefined]);
  }
  for (const q of ['', 'email=', `email=${'e'.repeat(300)}`, 'email=a&email=b']) cases.push(['GET', `${API}/user/userKeyByEmail?${q}`, undefined]);
  for (const body of [{ maxValidityMonths: 0 }, { maxValidityMonths: 'many' }, { defaultValidityMonths: 99, maxValidityMonths: 12 }, { authSchemes: 'ntlm' },
    { passwordBasicAuthAllowed: 'yes' }, { createOnBehalfGroups: 'admins' }, { tokenUserGroups: [''] }, { readOnlyOnlyGroups: [1] },
    { maxTokensPerUser: -1 }, { ipAllowlist: ['999.0.0.1'] }, { ipAllowlist: ['10.0.0.0/99'] }, { expiryWarningDays: [0] },
    { expiryWarningDays: 'weekly' }, { notifyOnNewIp: 1 }, { pruneExpiredAfterDays: -5 }, { revokeUnusedAfterDays: 1.5 },
    { auditTokenUse: 'some' }, { unknownSetting: true }, { tokenUserGroups: ['no-such-group'] }, { createOnBehalfGroups: ['jira-admins', 'typo'] }, [1], 'text']) {
    cases.push(['PUT', `${API}/admin/settings`, body as never]);
  }
  cases.push(['DELETE', `${API}/user/token/deleteAllFor/${'k'.repeat(300)}`, undefined]);
  return cases;
}

forEachDatabase('bad input on every endpoint', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should answer 4xx with errorMessage and change nothing', async () => {
    const { id } = await e2e.createToken('admin', { tokenDescription: 'stays as it is' });
    const snapshot = async () => {
      const settings = (await e2e.as('admin', `${API}/admin/settings`)).json;
      const db = await dumpDatabase(e2e.host.dbUrl);
      const tokens = (await e2e.as('admin', `${API}/user/tokensByFilter`)).json;
      return JSON.stringify({ settings, tokens, hasTable: db.includes('stays as it is') });
    };
    const before = await snapshot();
    const problems: string[] = [];
    for (const [method, path, body, headers] of cases(id)) {
      const res = await e2e.as('admin', path, { method, body, headers });
      const ok = res.status >= 400 && res.status < 500 && typeof res.json?.errorMessage === 'string' && !/\bat .*\.ts:\d+/.test(res.text);
      if (!ok) problems.push(`${method} ${path.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 60)} → ${res.status} ${res.text.slice(0, 120)}`);
    }
    expect(problems).to.deep.equal([]);
    expect(await snapshot()).to.equal(before);
  });

  // docs/api.md "Request bodies: JSON, at most 1 MB (→ 413)": the host's parser reads the body
  // before the plugin's routers (whose own limit, MAX_BODY_BYTES, is the same 1 MB). Pinned here on
  // the product: a body of 200 KB is read (and judged by its fields), one above 1 MB is a 413, and
  // neither changes anything.
  it('should read bodies up to 1 MB on both token APIs and answer 413 above it, changing nothing', async () => {
    const before = JSON.stringify((await e2e.as('admin', `${API}/user/tokensByFilter`)).json);
    const paths = [`${API}/user/token`, '/rest/api-tokens/latest/'];
    for (const [field, path] of [['tokenDescription', paths[0]], ['label', paths[1]]] as const) {
      const read = await e2e.as('admin', path, { method: 'POST', body: { [field]: 'x'.repeat(200_000) } });
      expect(read.status, `${path} 200 KB`).to.equal(400);
      expect(read.json?.errors, `${path} 200 KB: judged by its fields`).to.have.property(field);
      const big = await e2e.as('admin', path, { method: 'POST', body: { [field]: 'x'.repeat(1_100_000) } });
      expect(big.status, `${path} 1.1 MB`).to.equal(413);
      expect(big.json?.errorMessage, `${path} 1.1 MB`).to.be.a('string');
    }
    expect(JSON.stringify((await e2e.as('admin', `${API}/user/tokensByFilter`)).json)).to.equal(before);
  });

  // The ID column is a 32-bit integer on every database: PostgreSQL refused to compare it with a
  // larger number, and each of these answered 500 there.
  it('should answer a token id beyond the ID column as an unknown id, on every database', async () => {
    const { id } = await e2e.createToken('admin', { tokenDescription: 'stays too' });
    for (const farId of ['2147483648', '999999999999999']) {
      for (const [method, path, body] of [
        ['GET', `${API}/user/token/${farId}/snippets`, undefined], ['PATCH', `${API}/user/token/${farId}`, { tokenDescription: 'x' }],
        ['DELETE', `${API}/user/token/${farId}`, undefined], ['POST', `${API}/user/token/${farId}/rotate`, {}],
      ] as Array<[string, string, TestRequestOptions['body'] | undefined]>) {
        expectError(await e2e.as('admin', path, { method, body }), 'TOKEN_NOT_FOUND', `${method} ${path}`);
      }
    }
    const bulk = await e2e.as('admin', `${API}/admin/tokens/delete`, { method: 'POST', body: { ids: [2147483648, Number.MAX_SAFE_INTEGER, id] } });
    expect(bulk.status, bulk.text).to.equal(200);
    expect(bulk.json, 'the far ids skipped as unknown ones').to.deep.equal({ deleted: 1 });
  });
});
