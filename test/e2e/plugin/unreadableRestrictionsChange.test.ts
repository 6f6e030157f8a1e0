// Restrictions this version cannot read (another version wrote them, or the text was cut off)
// refuse the token. Until 2026-12-05 the listings showed such a token as unrestricted
// (`restrictions: null`, no text), and a PATCH of one part (only the rules, or only the IP
// allowlist) merged the new part with what it could salvage of the stored value — an empty set
// of rules, the allowlist dropped, an unknown field lost — so the owner's or an administrator's
// edit of one line silently widened the token. Now the listings say the restrictions are
// unreadable, a change of one part is refused (409, nothing changed), and only a replacement of
// both parts is taken.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { JIRA_TOKEN_TABLE, queryRows, writeRows } from './support/seedTokenRows';

const SERVER_INFO = '/rest/api/2/serverInfo';
const MYSELF = '/rest/api/2/myself';

/** Stored values this version cannot read, each with what a merge used to make of it. */
const UNREADABLE: Record<string, string> = {
  'JSON cut off (read as no rules)': '{"rules":[{"urlPattern":".*/myself"}],"ipAllowlist":["10.9.9.9"',
  'a future root key (lost in a merge)': '{"rules":[{"urlPattern":".*/myself"}],"ipAllowlist":[],"countries":["DE"]}',
  'a future allowlist form (dropped in a merge)': '{"rules":[{"urlPattern":".*/myself"}],"ipAllowlist":"10.9.9.9/32"}',
  'another shape altogether (read as no rules)': '{"v":2,"allow":[{"path":"/rest/api/2/myself"}]}',
  'a set limiting nothing': '{"rules":[],"ipAllowlist":[]}',
};

interface Listed { id: number; restrictions: unknown; restrictionsText: string | null; restrictionsUnreadable?: boolean }

forEachDatabase('Token restrictions this version cannot read: listings and changes', (kind) => {
  let e2e: E2eEnv;

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const withStored = async (value: string) => {
    const token = await e2e.createToken('alice', { tokenDescription: 'unreadable restrictions', restrictions: '[GET].*/rest/api/2/myself' });
    await writeRows(e2e.host.dbUrl, `UPDATE "${JIRA_TOKEN_TABLE}" SET "RESTRICTIONS" = ? WHERE "ID" = ?`, [value, token.id]);
    return token;
  };
  const storedOf = async (id: number) =>
    (await queryRows(e2e.host.dbUrl, `SELECT "RESTRICTIONS" FROM "${JIRA_TOKEN_TABLE}" WHERE "ID" = ?`, [id]))[0]?.RESTRICTIONS;
  const bearer = (token: string, path: string) => e2e.req(path, { headers: { Authorization: `Bearer ${token}` } });

  it('should mark such a token as having unreadable restrictions in every listing, never as unrestricted', async () => {
    for (const [what, value] of Object.entries(UNREADABLE)) {
      const token = await withStored(value);
      const own = ((await e2e.as('alice', `${API}/user/token`)).json as Listed[]).find((t) => t.id === token.id);
      expect(own?.restrictionsUnreadable, `${what}: own listing`).to.equal(true);
      expect(own?.restrictionsText, `${what}: own listing text`).to.equal(null);
      const managed = (await e2e.as('admin', `${API}/user/tokensByFilter?userFilter=${e2e.users.alice.key}&limit=100`)).json as { content: Listed[] };
      expect(managed.content.find((t) => t.id === token.id)?.restrictionsUnreadable, `${what}: Token Manager`).to.equal(true);
      const looked = await e2e.inSession('admin', `${API}/admin/tokens/lookup`, { method: 'POST', body: { token: token.plainTextToken } });
      expect(looked.status, `${what}: lookup`).to.equal(200);
      expect(looked.json.restrictionsUnreadable, `${what}: lookup`).to.equal(true);
    }
  });

  it('should not mark a token whose restrictions this version reads, nor an unrestricted one', async () => {
    const restricted = await e2e.createToken('alice', { tokenDescription: 'readable restrictions', restrictions: '[GET].*/rest/api/2/myself' });
    const free = await e2e.createToken('alice', { tokenDescription: 'unrestricted' });
    const listed = (await e2e.as('alice', `${API}/user/token`)).json as Listed[];
    const r = listed.find((t) => t.id === restricted.id);
    expect(r?.restrictionsText).to.be.a('string');
    expect(r).to.not.have.property('restrictionsUnreadable');
    expect(listed.find((t) => t.id === free.id)).to.not.have.property('restrictionsUnreadable');
  });

  it('should refuse a change of one part of unreadable restrictions (409 RESTRICTIONS_UNREADABLE), changing nothing', async () => {
    for (const [what, value] of Object.entries(UNREADABLE)) {
      const token = await withStored(value);
      for (const [caller, change] of [
        ['alice', { ipAllowlist: ['127.0.0.1', '::1'] }],
        ['alice', { restrictions: '[GET].*' }],
        ['alice', { restrictions: '[GET].*', tokenDescription: 'renamed' }],
        ['admin', { ipAllowlist: ['127.0.0.1', '::1'] }],
      ] as const) {
        const res = await e2e.inSession(caller, `${API}/user/token/${token.id}`, { method: 'PATCH', body: change });
        expectError(res, 'RESTRICTIONS_UNREADABLE', `${what}: ${caller} ${JSON.stringify(change)}`);
        expect(await storedOf(token.id), `${what}: stored value kept`).to.equal(value);
        expect((await bearer(token.plainTextToken, SERVER_INFO)).status, `${what}: still refused`).to.equal(403);
      }
    }
  });

  it('should still take a new description alone, and a replacement of both parts', async () => {
    const token = await withStored(UNREADABLE['JSON cut off (read as no rules)']);
    const renamed = await e2e.inSession('alice', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { tokenDescription: 'renamed' } });
    expect(renamed.status, renamed.text).to.equal(200);
    expect(renamed.json.restrictionsUnreadable).to.equal(true);
    const replaced = await e2e.inSession('alice', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { restrictions: '[GET].*/rest/api/2/myself', ipAllowlist: null } });
    expect(replaced.status, replaced.text).to.equal(200);
    expect(replaced.json).to.not.have.property('restrictionsUnreadable');
    expect(replaced.json.restrictionsText).to.be.a('string');
    expect((await bearer(token.plainTextToken, MYSELF)).status, 'the rule now lets myself in').to.equal(200);
    expect((await bearer(token.plainTextToken, SERVER_INFO)).status, 'and nothing else').to.equal(403);
  });

  it('should refuse any change of them through a token (held)', async () => {
    const token = await withStored(UNREADABLE['a future root key (lost in a merge)']);
    const caller = await e2e.createToken('alice', { tokenDescription: 'caller' });
    for (const body of [{ ipAllowlist: ['127.0.0.1'] }, { restrictions: '[GET].*', ipAllowlist: null }]) {
      const res = await e2e.req(`${API}/user/token/${token.id}`, { method: 'PATCH', body, headers: { Authorization: `Bearer ${caller.plainTextToken}` } });
      expectError(res, 'TOKEN_PRIVILEGE_EXCEEDED', JSON.stringify(body));
      expect(await storedOf(token.id)).to.equal(UNREADABLE['a future root key (lost in a merge)']);
    }
  });
});
