// Issue 12 A, seed fidelity, on every database: `tokenScope: 0` (seed 000's create answer) is
// accepted as the legacy read/write scope; the "expiry beyond maximum" 400 and the
// userKeyByEmail errors read as in seed 000 (scripts match on them), in German too; the success
// log line names both the numeric id and the `asp_` id (seed 003's format).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import type { TestResponse } from '../../support/hostServer';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';
import { errorText } from './support/pluginI18n';

const MYSELF = '/rest/api/2/myself';
const DAY = 86_400_000;

/** The seeds' sentences, word for word (seed 000), with the values these tests use. */
const SEED_BEYOND_MAXIMUM_12 = 'The custom expiration you\'ve provided is greater than the maximum defined by your administrator. You need to provide a date within the next 12 months.';
const seedEmailNotFound = (email: string) => `Could not retrieve a userkey for email '${email}', error was: NOT_FOUND`;
const seedEmailAmbiguous = (email: string) => `Can't return a userkey since there is more than one user with the email '${email}'`;

forEachDatabase('seed fidelity', (kind) => {
  let e2e: E2eEnv;

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should accept tokenScope 0 on create as the legacy read/write scope', async () => {
    const legacy = await e2e.createToken('alice', { tokenDescription: 'legacy', tokenScope: 0 });
    expect(legacy.tokenScope).to.equal(0);
    const listed = ((await e2e.as('alice', `${API}/user/token`)).json as Array<Record<string, unknown>>).find((t) => t.id === legacy.id)!;
    expect(listed.tokenScope).to.equal(0);
    // Read/write: it may write.
    const filter = await e2e.req('/rest/api/2/filter', { method: 'POST', bearer: legacy.plainTextToken, body: { name: 'legacy filter', jql: 'project = TEST' } });
    expect(filter.status).to.equal(200);
    const found = await e2e.as('admin', `${API}/user/tokensByFilter?tokenScope=0&userFilter=${e2e.users.alice.key}`);
    expect((found.json.content as Array<{ id: number }>).map((t) => t.id)).to.include(legacy.id);
    // …so a read-only token cannot mint it, nor can a member of a read-only group get it.
    const readOnly = await e2e.createToken('alice', { tokenScope: 1 });
    expectError(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: readOnly.plainTextToken, body: { tokenScope: 0 } }), 'SCOPE_TOO_WEAK');
    await e2e.host.runtime.users.createGroup('legacy-readers');
    await e2e.host.runtime.users.addUserToGroup('carol', 'legacy-readers');
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { readOnlyOnlyGroups: ['legacy-readers'] } })).status).to.equal(200);
    try {
      expectError(await e2e.as('carol', `${API}/user/token`, { method: 'POST', body: { tokenScope: 0 } }), 'READ_ONLY_REQUIRED');
    } finally {
      await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { readOnlyOnlyGroups: [] } });
    }
    for (const tokenScope of [-1, 3, '0']) {
      const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenScope } });
      expect(res.status, String(tokenScope)).to.equal(400);
    }
  });

  it('should answer an expiry beyond the maximum in the seed\'s words, and in German', async () => {
    expect(errorText('en', 'EXPIRY_BEYOND_MAXIMUM', 12)).to.equal(SEED_BEYOND_MAXIMUM_12);
    const token = await e2e.createToken('alice');
    const late = Date.now() + 400 * DAY;
    const iso = `${new Date(late).toISOString().slice(0, 19)}+02:00`;
    const calls = [
      () => e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenDescription: 'Custom expiration', tokenExpirationDateTime: iso } }),
      () => e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenExpirationDateTimeMillis: late }, headers: { 'Accept-Language': 'de' } }),
      () => e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { tokenExpirationDateTimeMillis: late } }),
      () => e2e.as('alice', `${API}/user/token/${token.id}/rotate`, { method: 'POST', body: { tokenExpirationDateTime: iso }, headers: { 'Accept-Language': 'de-DE,de;q=0.9' } }),
    ];
    const answers: TestResponse[] = [];
    for (const call of calls) answers.push(await call());
    for (const res of answers) expect(res.status).to.equal(400);
    expect(answers[0].json).to.deep.equal({ errorMessage: SEED_BEYOND_MAXIMUM_12 });
    expect(answers[2].json).to.deep.equal({ errorMessage: SEED_BEYOND_MAXIMUM_12 });
    for (const de of [answers[1], answers[3]]) {
      expect(de.json).to.deep.equal({ errorMessage: errorText('de', 'EXPIRY_BEYOND_MAXIMUM', 12) });
      expect(de.json.errorMessage).not.to.equal(SEED_BEYOND_MAXIMUM_12);
      expect(de.json.errorMessage).to.include('12');
    }
    // The sentence names the maximum in force.
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { maxValidityMonths: 6, defaultValidityMonths: 6 } })).status).to.equal(200);
    try {
      const six = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenExpirationDateTimeMillis: Date.now() + 200 * DAY } });
      expect(six.json).to.deep.equal({ errorMessage: errorText('en', 'EXPIRY_BEYOND_MAXIMUM', 6) });
      expect(six.json.errorMessage).to.include('within the next 6 months.');
    } finally {
      await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { maxValidityMonths: 12, defaultValidityMonths: 12 } });
    }
  });

  it('should answer userKeyByEmail errors in the seed\'s words, and in German', async () => {
    expect(errorText('en', 'EMAIL_NOT_FOUND', 'nobody@example.com')).to.equal(seedEmailNotFound('nobody@example.com'));
    expect(errorText('en', 'EMAIL_AMBIGUOUS', 'twin@example.com')).to.equal(seedEmailAmbiguous('twin@example.com'));
    for (const name of ['twin1', 'twin2']) {
      await e2e.host.runtime.users.createUser({ name, password: `${name}-pw-1`, email: 'twin@example.com', displayName: name, groups: ['jira-software-users'] });
    }
    const lookup = (email: string, locale?: string) => e2e.as('manager', `${API}/user/userKeyByEmail?email=${encodeURIComponent(email)}`,
      { headers: locale ? { 'Accept-Language': locale } : {} });
    const none = await lookup('nobody@example.com');
    expect(none.status).to.equal(404);
    expect(none.json).to.deep.equal({ errorMessage: seedEmailNotFound('nobody@example.com') });
    const several = await lookup('twin@example.com');
    expect(several.status).to.equal(409);
    expect(several.json).to.deep.equal({ errorMessage: seedEmailAmbiguous('twin@example.com') });
    const noneDe = await lookup('nobody@example.com', 'de');
    expect(noneDe.json).to.deep.equal({ errorMessage: errorText('de', 'EMAIL_NOT_FOUND', 'nobody@example.com') });
    const severalDe = await lookup('twin@example.com', 'de');
    expect(severalDe.json).to.deep.equal({ errorMessage: errorText('de', 'EMAIL_AMBIGUOUS', 'twin@example.com') });
    expect(noneDe.json.errorMessage).not.to.equal(none.json.errorMessage);
    expect(severalDe.json.errorMessage).not.to.equal(several.json.errorMessage);
    expect((await lookup(e2e.users.alice.email)).json).to.deep.equal({ userKey: e2e.users.alice.key });
  });

  it('should log a token sign-in with the numeric id and the asp_ id', async () => {
    const created = await e2e.as('bob', '/rest/api-tokens/latest/', { method: 'POST', body: { label: 'log line' } });
    expect(created.status).to.equal(200);
    e2e.issued.push(created.json.token);
    const numeric = ((await e2e.as('bob', `${API}/user/token`)).json as Array<{ id: number; description: string }>).find((t) => t.description === 'log line')!.id;
    expect((await e2e.req(MYSELF, { bearer: created.json.token })).status).to.equal(200);
    expect((await e2e.req(MYSELF, { auth: ['bob', created.json.token] })).status).to.equal(200);
    const line = `bob has been authenticated via API Token (${numeric}) (${created.json.id})`;
    expect(e2e.logs.filter((l) => l.includes(line)), e2e.logs.filter((l) => l.includes('authenticated via')).join('\n')).to.have.length(2);
    // Seed 003's form `API Token (<asp_ id>)` and the resolution app's `API Token (<id>)` both match it.
    expect(e2e.logs.some((l) => l.includes(`API Token (${numeric})`) && l.includes(`(${created.json.id})`))).to.equal(true);
  });
});
