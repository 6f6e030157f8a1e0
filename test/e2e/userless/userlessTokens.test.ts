// User-less tokens (docs/restrictions.md): created by system admins only, always restricted, Basic auth as
// any existing active user but a system admin, never Bearer; audited per acting user; listed with an empty owner.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { curl } from '../plugin/support/curl';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

const RULE = '[GET].*/rest/api/2/myself';

forEachDatabase('User-less tokens', (kind) => {
  let e2e: E2eEnv;
  let token: { id: number; plainTextToken: string; [k: string]: unknown };
  const settings = (body: Record<string, unknown>) => e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body });

  before(async () => {
    e2e = await startE2e('jira', kind);
    token = await e2e.createToken('admin', { userless: true, tokenDescription: 'shared automation', restrictions: RULE });
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should be created by a system admin with no owner', () => {
    expect(token.tokenForUserKey).to.equal(null);
  });

  it('should authenticate with Basic as several users, each acting as that user', async () => {
    for (const name of ['alice', 'bob'] as const) {
      const res = await curl(['-u', `${name}:${token.plainTextToken}`, `${e2e.host.url}/rest/api/2/myself`]);
      expect(res.status, name).to.equal(200);
      expect(res.json.name).to.equal(name);
    }
    expect(e2e.logs.some((l) => l.includes(`bob has been authenticated via API Token (${token.id})`))).to.equal(true);
  });

  it('should still apply its restrictions', async () => {
    expect((await e2e.req('/rest/api/2/configuration', { auth: ['alice', token.plainTextToken] })).status).to.equal(403);
  });

  it('should refuse Bearer, unknown and inactive users with 401', async () => {
    const bearer = await e2e.req('/rest/api/2/myself', { bearer: token.plainTextToken });
    expect(bearer.status).to.equal(401);
    expect(bearer.headers.get('www-authenticate')).to.match(/^Bearer /);
    expect((await e2e.req('/rest/api/2/myself', { auth: ['nobody-here', token.plainTextToken] })).status).to.equal(401);
    await e2e.host.runtime.users.setActive('carol', false);
    try {
      expect((await e2e.req('/rest/api/2/myself', { auth: ['carol', token.plainTextToken] })).status).to.equal(401);
    } finally {
      await e2e.host.runtime.users.setActive('carol', true);
    }
    expect((await e2e.req('/rest/api/2/myself', { auth: ['carol', token.plainTextToken] })).status).to.equal(200);
  });

  it('should refuse Basic too when authSchemes is bearer', async () => {
    expect((await settings({ authSchemes: 'bearer' })).status).to.equal(200);
    try {
      expect((await e2e.req('/rest/api/2/myself', { auth: ['alice', token.plainTextToken] })).status).to.equal(401);
    } finally {
      await settings({ authSchemes: 'both' });
    }
  });

  it('should audit each use with the acting user and the token id', async () => {
    expect((await settings({ auditTokenUse: 'all' })).status).to.equal(200);
    try {
      await e2e.req('/rest/api/2/myself', { auth: ['alice', token.plainTextToken] });
      await e2e.req('/rest/api/2/myself', { auth: ['bob', token.plainTextToken] });
      const authors = async (): Promise<string[]> => {
        const events = await e2e.auditEvents('token.used', 2);
        const tokenIdOf = (ev: Record<string, unknown>) => (ev.extraAttributes as Array<{ name: string; value: string }>).find((a) => a.name === 'tokenId')?.value;
        return events.filter((ev) => tokenIdOf(ev) === String(token.id)).map((ev) => (ev.author as { name: string }).name);
      };
      let seen: string[] = [];
      for (let i = 0; i < 40 && !(seen.includes('alice') && seen.includes('bob')); i++) {
        seen = await authors();
        if (!(seen.includes('alice') && seen.includes('bob'))) await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen).to.include.members(['alice', 'bob']);
    } finally {
      await settings({ auditTokenUse: 'sampled' });
    }
  });

  it('should be listed in tokensByFilter with an empty owner and be managed by system admins only', async () => {
    const page = await e2e.as('admin', `${API}/user/tokensByFilter?descriptionFilter=shared%20automation`);
    expect(page.json.content).to.have.length(1);
    expect(page.json.content[0]).to.include({ id: token.id, tokenForUserKey: '', restrictionsText: RULE });
    expect((await e2e.as('manager', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { tokenDescription: 'x' } })).status).to.equal(404);
    expect((await e2e.as('alice', `${API}/user/token/${token.id}/rotate`, { method: 'POST' })).status).to.equal(404);
    const renamed = await e2e.as('admin', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { tokenDescription: 'shared automation (renamed)' } });
    expect(renamed.status).to.equal(200);
  });

  it('should refuse to lose its last restriction', async () => {
    const res = await e2e.as('admin', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { restrictions: null } });
    expect(res.status).to.equal(400);
    expect(res.json).to.have.keys(['errorMessage']);
    expect((await e2e.req('/rest/api/2/configuration', { auth: ['alice', token.plainTextToken] })).status).to.equal(403);
  });

  it('should not be creatable by non-admins, without a restriction, or together with an owner', async () => {
    expect((await e2e.as('manager', `${API}/user/token`, { method: 'POST', body: { userless: true, restrictions: RULE } })).status).to.equal(403);
    expect((await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { userless: true, restrictions: RULE } })).status).to.equal(403);
    const bare = await e2e.as('admin', `${API}/user/token`, { method: 'POST', body: { userless: true } });
    expect(bare.status).to.equal(400);
    expect((await e2e.as('admin', `${API}/user/token`, { method: 'POST', body: { userless: true, restrictions: '' } })).status).to.equal(400);
    const both = await e2e.as('admin', `${API}/user/token`, { method: 'POST', body: { userless: true, restrictions: RULE, tokenForUserKey: e2e.users.bob.key } });
    expect(both.status).to.equal(400);
    expect(both.json.errors).to.have.keys(['tokenForUserKey']);
    expect((await e2e.as('admin', `${API}/user/token`, { method: 'POST', body: { userless: 'yes', restrictions: RULE } })).status).to.equal(400);
  });

  it('should accept an IP allowlist alone as its restriction', async () => {
    const ipOnly = await e2e.createToken('admin', { userless: true, ipAllowlist: ['127.0.0.1'] });
    expect((await e2e.req('/rest/api/2/myself', { auth: ['bob', ipOnly.plainTextToken] })).status).to.equal(200);
  });

  it('should stop working for everyone once deleted', async () => {
    const del = await e2e.as('admin', `${API}/user/token/${token.id}`, { method: 'DELETE' });
    expect(del.status).to.equal(200);
    expect((await e2e.req('/rest/api/2/myself', { auth: ['alice', token.plainTextToken] })).status).to.equal(401);
  });
});
