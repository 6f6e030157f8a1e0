// Secure mode (seed 004, docs/api.md "Secure mode" as issue 12 tightens it), switched on at start by env
// APITOKENAUTH_SECURE_MODE=true or the system property apitokenauth.secure.mode=true: after
// creation no token data changes — not the description, not the expiry, restrictions or scope,
// no regenerating — only deletion, on both APIs; no code snippets are given.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

const API_TOKENS = '/rest/api-tokens/latest';

const LOCKED_CHANGES: Array<Record<string, unknown>> = [
  { restrictions: '.*' },
  { restrictions: null },
  { ipAllowlist: ['127.0.0.1'] },
  { tokenScope: 1 },
  { tokenValidityTimeInMonths: 1 },
  { tokenExpirationDateTimeMillis: Date.now() + 86400000 },
  { tokenDescription: 'with a locked field', tokenScope: 1 },
  { tokenDescription: 'renamed in secure mode' },
];

for (const [how, env] of [
  ['env APITOKENAUTH_SECURE_MODE', { APITOKENAUTH_SECURE_MODE: 'true' }],
  ['system property apitokenauth.secure.mode', { HOSTSIM_SYSPROPS: 'apitokenauth.secure.mode=true' }],
] as const) {
  forEachDatabase(`Secure mode on (${how})`, (kind) => {
    let e2e: E2eEnv;

    before(async () => { e2e = await startE2e('jira', kind, env); });
    after(() => stopAndCheckLeaks(e2e));

    it('should create tokens with restrictions but give no snippets', async () => {
      const res = await e2e.as('alice', `${API}/user/token?snippets=true`, { method: 'POST', body: { restrictions: '[GET].*/myself' } });
      expect(res.status).to.equal(200);
      e2e.issued.push(res.json.plainTextToken);
      expect(res.json).to.not.have.property('snippets');
      const snippets = await e2e.as('alice', `${API}/user/token/${res.json.id}/snippets`);
      expect(snippets.status).to.equal(403);
      expect(snippets.json).to.have.keys(['errorMessage']);
    });

    it('should refuse every change, the description too, and regenerating, with 403, and change nothing', async () => {
      const created = await e2e.createToken('alice', { tokenDescription: 'secure', restrictions: '[GET].*/myself' });
      for (const body of LOCKED_CHANGES) {
        const res = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body });
        expectError(res, 'SECURE_MODE_LOCKED', JSON.stringify(body));
      }
      for (const body of [undefined, {}, { tokenValidityTimeInMonths: 1 }]) {
        const rotate = await e2e.as('alice', `${API}/user/token/${created.id}/rotate`, { method: 'POST', body });
        expectError(rotate, 'SECURE_MODE_LOCKED', `rotate ${JSON.stringify(body)}`);
        expect(rotate.text).not.to.include('apitok_');
      }
      for (const [method, path, body] of [['PATCH', `${API}/user/token/${created.id}`, { tokenScope: 1 }], ['PATCH', `${API}/user/token/${created.id}`, { tokenDescription: 'by admin' }],
        ['POST', `${API}/user/token/${created.id}/rotate`, undefined]] as const) {
        expectError(await e2e.as('admin', path, { method, body }), 'SECURE_MODE_LOCKED', `admin ${method} ${JSON.stringify(body)}`);
      }
      const list = (await e2e.as('alice', `${API}/user/token`)).json as Array<Record<string, unknown>>;
      const mine = list.find((t) => t.id === created.id)!;
      expect(mine).to.include({ description: 'secure', tokenScope: 2, validUntil: created.tokenExpirationDateTimeMillis, restrictionsText: '[GET].*/myself' });
      // The secret was not replaced.
      expect((await e2e.req('/rest/api/2/myself', { bearer: created.plainTextToken })).status).to.equal(200);
      const status = await e2e.as('alice', `${API}/user/token/status`);
      expect(status.json).to.include({ secureMode: true });
    });

    it('should still create and delete tokens on both APIs', async () => {
      const first = await e2e.createToken('bob', { tokenDescription: 'to delete' });
      expect((await e2e.as('bob', `${API}/user/token/${first.id}`, { method: 'DELETE' })).status).to.equal(200);
      const labelled = await e2e.as('bob', `${API_TOKENS}/`, { method: 'POST', body: { label: 'secure label' } });
      expect(labelled.status).to.equal(200);
      e2e.issued.push(labelled.json.token);
      expect((await e2e.as('bob', `${API_TOKENS}/${labelled.json.id}`, { method: 'DELETE' })).status).to.equal(204);
      await e2e.createToken('bob', { tokenDescription: 'all of them' });
      expect((await e2e.as('bob', `${API_TOKENS}/all`, { method: 'DELETE' })).status).to.equal(204);
      expect((await e2e.as('bob', `${API}/user/token`)).json).to.deep.equal([]);
    });

    it('should explain the refusal in German too', async () => {
      const created = await e2e.createToken('alice');
      const en = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenScope: 1 } });
      const de = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenScope: 1 }, headers: { 'Accept-Language': 'de' } });
      expect(de.status).to.equal(403);
      expect(de.json.errorMessage).to.not.equal(en.json.errorMessage);
    });
  });
}

forEachDatabase('Secure mode off (default)', (kind) => {
  let e2e: E2eEnv;

  before(async () => { e2e = await startE2e('jira', kind, { APITOKENAUTH_SECURE_MODE: 'false' }); });
  after(() => stopAndCheckLeaks(e2e));

  it('should lower the scope to read-only, apply it at once, and refuse raising it (403)', async () => {
    const created = await e2e.createToken('alice');
    const body = { name: 'f', jql: 'project = TEST' };
    expect((await e2e.req('/rest/api/2/filter', { method: 'POST', bearer: created.plainTextToken, body })).status).to.equal(200);
    const lowered = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenScope: 1 } });
    expect(lowered.status).to.equal(200);
    expect(lowered.json.tokenScope).to.equal(1);
    expect((await e2e.req('/rest/api/2/filter', { method: 'POST', bearer: created.plainTextToken, body })).status).to.equal(403);
    expect((await e2e.req('/rest/api/2/myself', { bearer: created.plainTextToken })).status).to.equal(200);
    const raised = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenScope: 2 } });
    expect(raised.status).to.equal(403);
    expect(raised.json).to.have.keys(['errorMessage']);
  });

  it('should change the expiry within the maximum and refuse past or too distant dates (400)', async () => {
    const created = await e2e.createToken('alice');
    const soon = Date.now() + 2 * 86400000;
    const res = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenExpirationDateTimeMillis: soon } });
    expect(res.status).to.equal(200);
    expect(res.json.validUntil).to.equal(soon);
    const months = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenValidityTimeInMonths: 999 } });
    expect(months.status).to.equal(200);
    expect(months.json.validUntil).to.be.above(soon);
    for (const body of [
      { tokenExpirationDateTime: '2020-01-01T00:00:00Z' },
      { tokenExpirationDateTime: '2099-01-01T00:00:00+02:00' },
      { tokenExpirationDateTime: '2030-01-01T00:00:00' },
      { tokenExpirationDateTimeMillis: 1 },
    ]) {
      const bad = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body });
      expect(bad.status, JSON.stringify(body)).to.equal(400);
    }
    const changed = await e2e.auditEvents('token.changed');
    expect(changed.some((ev) => JSON.stringify(ev).includes('validUntil'))).to.equal(true);
  });

  it('should expire a token at once when its expiry is moved to (almost) now', async () => {
    const created = await e2e.createToken('alice');
    // A few seconds ahead: a PATCH slowed down under load must still set an expiry in the future.
    const expiry = Date.now() + 3000;
    const res = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenExpirationDateTimeMillis: expiry } });
    expect(res.status).to.equal(200);
    await new Promise((r) => setTimeout(r, Math.max(0, expiry + 100 - Date.now())));
    expect((await e2e.req('/rest/api/2/myself', { bearer: created.plainTextToken })).status).to.equal(401);
  });
});
