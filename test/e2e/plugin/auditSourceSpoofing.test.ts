// Held attack: a client that is no trusted proxy sends X-Forwarded-For (and its cousins) naming
// someone else's address, so that the audit log puts its token use, refusals and changes on that
// address. Every event of the plugin names the socket's peer instead, as the canonical request
// view reads it; the forwarded-for changes are pinned for each kind of event.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const SPOOF = { 'X-Forwarded-For': '198.51.100.66', 'X-Real-IP': '198.51.100.67', Forwarded: 'for=198.51.100.68', 'True-Client-IP': '198.51.100.69' };

type AuditEntity = Record<string, unknown> & { source: string; affectedObjects: Array<{ id: string }>; extraAttributes: Array<{ name: string; value: string }> };

forEachDatabase('Audit source address with forwarding headers from an untrusted client', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { auditTokenUse: 'all' } })).status).to.equal(200);
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should name the peer, not a forwarded address, on every kind of event a token holder causes', async () => {
    const admin = await e2e.createToken('admin', { tokenDescription: 'leaked admin token' });
    const bearer = admin.plainTextToken;
    const as = (path: string, options: { method?: string; body?: unknown } = {}) => e2e.req(path, { ...options, bearer, headers: SPOOF });

    expect((await as('/rest/api/2/myself')).status).to.equal(200);
    const created = await as(`${API}/user/token`, { method: 'POST', body: { tokenDescription: 'minted', tokenForUserKey: e2e.users.alice.key } });
    expect(created.status).to.equal(200);
    e2e.issued.push(created.json.plainTextToken);
    const id = created.json.id as number;
    expect((await as(`${API}/user/token/${id}`, { method: 'PATCH', body: { tokenDescription: 'minted, renamed' } })).status).to.equal(200);
    const rotated = await as(`${API}/user/token/${id}/rotate`, { method: 'POST' });
    expect(rotated.status).to.equal(200);
    e2e.issued.push(rotated.json.plainTextToken);
    expect((await as(`${API}/admin/tokens/lookup`, { method: 'POST', body: { publicId: rotated.json.plainTextToken.split('_')[1] } })).status).to.equal(200);
    expect((await as(`${API}/admin/settings`, { method: 'PUT', body: { maxTokensPerUser: 90 } })).status).to.equal(200);
    expect((await as(`${API}/user/token/${id}`, { method: 'DELETE' })).status).to.be.oneOf([200, 204]);
    expect((await e2e.req('/rest/api/2/myself', { bearer: `${bearer.slice(0, -8)}AAAAAAAA`, headers: SPOOF })).status).to.equal(401);
    const victim = await e2e.createToken('bob', { tokenDescription: 'reported' });
    expect((await e2e.req(`${API}/tokens/revoke`, { method: 'POST', body: { tokens: [victim.plainTextToken] }, headers: SPOOF })).status).to.equal(202);

    for (const action of ['token.used', 'token.created', 'token.changed', 'token.rotated', 'token.looked-up', 'token.settings-changed', 'token.deleted', 'token.refused', 'token.revoked']) {
      const events = await e2e.auditEvents(action) as AuditEntity[];
      expect(events, action).to.not.have.length(0);
      for (const event of events) expect(event.source, action).to.equal('127.0.0.1');
    }
  });
});
