// Through an API token, settings are only tightened (docs/api.md "Settings"). A system admin's
// ordinary token — one leaked from a CI job — switched sudo tokens back on (re-arming dormant
// ones it could not create itself), turned the token-use audit and the new-IP mails off to hide
// its use, cleared the client address allowlist and widened who may act for others: changes
// that outlive the token's revocation. Relaxing takes a password or a browser session.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const SETTINGS = `${API}/admin/settings`;

forEachDatabase('Settings changed through a token', (kind) => {
  let e2e: E2eEnv;
  let token: string;
  before(async () => {
    e2e = await startE2e('jira', kind);
    token = (await e2e.createToken('admin', { tokenDescription: 'ci job' })).plainTextToken;
    const tightened = await e2e.as('admin', SETTINGS, { method: 'PUT', body: { auditTokenUse: 'all', ipAllowlist: ['127.0.0.0/8', '::1'], revokeUnusedAfterDays: 90 } });
    expect(tightened.status, tightened.text).to.equal(200);
  });
  after(() => stopAndCheckLeaks(e2e));

  const put = (body: Record<string, unknown>) => e2e.req(SETTINGS, { method: 'PUT', bearer: token, body });
  const stored = async () => (await e2e.as('admin', SETTINGS)).json as Record<string, unknown>;

  it('should refuse through a token every change that relaxes a setting, naming it, and store nothing', async () => {
    const before = await stored();
    const relaxing: Array<Record<string, unknown>> = [
      { sudoTokensAllowed: true }, { auditTokenUse: 'off' }, { notifyOnNewIp: false }, { ipAllowlist: [] }, { ipAllowlist: ['127.0.0.0/8', '::1', '0.0.0.0/0'] },
      { createOnBehalfGroups: ['token-managers', 'jira-software-users'] }, { maxValidityMonths: 120 }, { revokeUnusedAfterDays: 0 },
      { maxValidityMonths: 6, sudoTokensAllowed: true },
    ];
    for (const body of relaxing) {
      const res = await put(body);
      expectError(res, 'SETTINGS_LOOSENED_THROUGH_TOKEN', JSON.stringify(body));
      const named = Object.keys(res.json.errors as Record<string, unknown>);
      expect(named, JSON.stringify(body)).to.include(Object.keys(body).find((k) => k !== 'maxValidityMonths' || Object.keys(body).length === 1));
    }
    expect(await stored()).to.deep.equal(before);
  });

  it('should let a token tighten settings, and a password or a session relax them', async () => {
    const tightened = await put({ maxValidityMonths: 6, notifyOnNewIp: true, revokeUnusedAfterDays: 30 });
    expect(tightened.status, tightened.text).to.equal(200);
    expect(tightened.json.maxValidityMonths).to.equal(6);
    const byPassword = await e2e.as('admin', SETTINGS, { method: 'PUT', body: { maxValidityMonths: 12, auditTokenUse: 'sampled' } });
    expect(byPassword.status, byPassword.text).to.equal(200);
    const inSession = await e2e.inSession('admin', SETTINGS, { method: 'PUT', body: { ipAllowlist: [], revokeUnusedAfterDays: 0 } });
    expect(inSession.status, inSession.text).to.equal(200);
    expect(await stored()).to.include({ maxValidityMonths: 12, auditTokenUse: 'sampled', revokeUnusedAfterDays: 0 });
  });
});
