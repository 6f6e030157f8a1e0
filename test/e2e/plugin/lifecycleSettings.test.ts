// Issue 12 A, settings that cannot lock everyone out, on every database: group settings name
// existing groups only (a typo in tokenUserGroups would refuse every token), and a maximum
// validity lowered below the default lowers the default with it and says so.
import { expect } from 'chai';
import { addMonthsUtc } from '../../../plugin/service/TokenValidity';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';
import { errorText, pluginI18n } from './support/pluginI18n';

const SETTINGS = `${API}/admin/settings`;
const MYSELF = '/rest/api/2/myself';

forEachDatabase('settings that cannot lock everyone out', (kind) => {
  let e2e: E2eEnv;

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const put = (body: Record<string, unknown>, headers: Record<string, string> = {}) => e2e.as('admin', SETTINGS, { method: 'PUT', body, headers });

  it('should refuse group names that name no group, naming each one, and store nothing', async () => {
    const token = await e2e.createToken('alice');
    const stored = (await e2e.as('admin', SETTINGS)).json;
    for (const locale of ['en', 'de'] as const) {
      const res = await put({
        tokenUserGroups: ['jira-software-users', 'jira-sofware-users'], readOnlyOnlyGroups: ['readers', 'writers'],
        createOnBehalfGroups: ['token-managers'], maxTokensPerUser: 7,
      }, { 'Accept-Language': locale });
      expect(res.status).to.equal(400);
      expect(res.json).to.deep.equal({
        errorMessage: errorText(locale, 'SETTINGS_INVALID'),
        errors: {
          tokenUserGroups: pluginI18n.getText(locale, 'apitokenauth.validation.unknownGroup', '"jira-sofware-users"'),
          readOnlyOnlyGroups: pluginI18n.getText(locale, 'apitokenauth.validation.unknownGroups', '"readers", "writers"'),
        },
      });
      expect(res.json.errors.tokenUserGroups).to.include('jira-sofware-users');
    }
    expect((await e2e.as('admin', SETTINGS)).json).to.deep.equal(stored);
    // The typo never reached the setting: the token still works.
    expect((await e2e.req(MYSELF, { bearer: token.plainTextToken })).status).to.equal(200);
    for (const key of ['createOnBehalfGroups', 'tokenUserGroups', 'readOnlyOnlyGroups']) {
      const res = await put({ [key]: ['no-such-group'] });
      expect(res.status, key).to.equal(400);
      expect(Object.keys(res.json.errors), key).to.deep.equal([key]);
    }
  });

  it('should accept existing groups in any case, and a group once it has been created', async () => {
    expect((await put({ readOnlyOnlyGroups: ['late-readers'] })).status).to.equal(400);
    await e2e.host.runtime.users.createGroup('late-readers');
    const res = await put({ readOnlyOnlyGroups: ['Late-Readers'], tokenUserGroups: ['JIRA-SOFTWARE-USERS'], createOnBehalfGroups: ['token-managers', 'jira-admins'] });
    expect(res.status).to.equal(200);
    expect(res.json).to.include.keys(['readOnlyOnlyGroups']);
    expect(res.json).not.to.have.property('notices');
    expect(res.json.readOnlyOnlyGroups).to.deep.equal(['Late-Readers']);
    const reset = await put({ readOnlyOnlyGroups: [], tokenUserGroups: [], createOnBehalfGroups: ['token-managers'] });
    expect(reset.status).to.equal(200);
  });

  it('should lower the default validity with a lowered maximum and say so, in English and German', async () => {
    try {
      const en = await put({ maxValidityMonths: 3 });
      expect(en.status).to.equal(200);
      expect(en.json).to.include({ maxValidityMonths: 3, defaultValidityMonths: 3 });
      expect(en.json.notices).to.deep.equal([{
        field: 'defaultValidityMonths', code: 'defaultLoweredToMaximum',
        message: pluginI18n.getText('en', 'apitokenauth.notice.defaultLoweredToMaximum', 12, 3),
      }]);
      expect((await e2e.as('admin', SETTINGS)).json).to.include({ maxValidityMonths: 3, defaultValidityMonths: 3 });
      // A form sends every field: the unchanged default follows the maximum too.
      const de = await put({ maxValidityMonths: 2, defaultValidityMonths: 3 }, { 'Accept-Language': 'de' });
      expect(de.status).to.equal(200);
      expect(de.json).to.include({ maxValidityMonths: 2, defaultValidityMonths: 2 });
      expect(de.json.notices).to.deep.equal([{
        field: 'defaultValidityMonths', code: 'defaultLoweredToMaximum',
        message: pluginI18n.getText('de', 'apitokenauth.notice.defaultLoweredToMaximum', 3, 2),
      }]);
      expect(de.json.notices[0].message).not.to.equal(pluginI18n.getText('en', 'apitokenauth.notice.defaultLoweredToMaximum', 3, 2));
      const changed = await e2e.auditEvents('token.settings-changed');
      expect(changed.some((ev) => JSON.stringify(ev.changedValues).includes('"key":"defaultValidityMonths","from":"3","to":"2"'))).to.equal(true);
      // New tokens get the lowered default.
      const before = Date.now();
      const token = await e2e.createToken('alice');
      expect(token.tokenValidityTimeInMonths).to.equal(2);
      expect(token.tokenExpirationDateTimeMillis as number).to.be.within(addMonthsUtc(before, 2), addMonthsUtc(Date.now(), 2));
      // A new default above the maximum is still a mistake to report.
      const bad = await put({ maxValidityMonths: 4, defaultValidityMonths: 6 });
      expect(bad.status).to.equal(400);
      expect(Object.keys(bad.json.errors)).to.deep.equal(['defaultValidityMonths']);
      expect((await e2e.as('admin', SETTINGS)).json).to.include({ maxValidityMonths: 2, defaultValidityMonths: 2 });
      // Raising the maximum leaves the default alone, without notices.
      const raised = await put({ maxValidityMonths: 12 });
      expect(raised.json).to.include({ maxValidityMonths: 12, defaultValidityMonths: 2 });
      expect(raised.json).not.to.have.property('notices');
    } finally {
      expect((await put({ maxValidityMonths: 12, defaultValidityMonths: 12 })).status).to.equal(200);
    }
  });
});
