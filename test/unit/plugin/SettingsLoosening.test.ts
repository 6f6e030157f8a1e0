import { expect } from 'chai';
import { DEFAULT_SETTINGS, type Settings } from '../../../plugin/service/Settings';
import { loosenedSettings } from '../../../plugin/service/SettingsLoosening';

const base: Settings = {
  ...DEFAULT_SETTINGS, passwordBasicAuthAllowed: false, authSchemes: 'bearer', tokenUserGroups: ['jira-software-users'],
  readOnlyOnlyGroups: ['contractors'], ipAllowlist: ['10.0.0.0/8'], revokeUnusedAfterDays: 90, auditTokenUse: 'all',
};
const loosened = (change: Partial<Settings>) => loosenedSettings(base, { ...base, ...change });

describe('loosenedSettings', () => {
  it('should name every change that relaxes a setting', () => {
    const cases: Array<[Partial<Settings>, string]> = [
      [{ maxValidityMonths: 24 }, 'maxValidityMonths'],
      [{ defaultValidityMonths: 13 }, 'defaultValidityMonths'],
      [{ passwordBasicAuthAllowed: true }, 'passwordBasicAuthAllowed'],
      [{ authSchemes: 'both' }, 'authSchemes'],
      [{ authSchemes: 'basic' }, 'authSchemes'],
      [{ createOnBehalfGroups: ['jira-software-users'] }, 'createOnBehalfGroups'],
      [{ tokenUserGroups: [] }, 'tokenUserGroups'],
      [{ tokenUserGroups: ['jira-software-users', 'everyone'] }, 'tokenUserGroups'],
      [{ tokenUserGroups: ['Jira-Software-Users'] }, 'tokenUserGroups'],
      [{ readOnlyOnlyGroups: [] }, 'readOnlyOnlyGroups'],
      [{ ipAllowlist: [] }, 'ipAllowlist'],
      [{ ipAllowlist: ['10.0.0.0/8', '0.0.0.0/0'] }, 'ipAllowlist'],
      [{ notifyOnNewIp: false }, 'notifyOnNewIp'],
      [{ revokeUnusedAfterDays: 0 }, 'revokeUnusedAfterDays'],
      [{ revokeUnusedAfterDays: 365 }, 'revokeUnusedAfterDays'],
      [{ auditTokenUse: 'sampled' }, 'auditTokenUse'],
      [{ auditTokenUse: 'off' }, 'auditTokenUse'],
      [{ sudoTokensAllowed: true }, 'sudoTokensAllowed'],
    ];
    for (const [change, key] of cases) expect(loosened(change), JSON.stringify(change)).to.deep.equal([key]);
  });

  it('should name nothing for a change that tightens, keeps or only does housekeeping', () => {
    const cases: Array<Partial<Settings>> = [
      {}, base, { maxValidityMonths: 6, defaultValidityMonths: 6 }, { authSchemes: 'bearer' }, { tokenUserGroups: ['jira-software-users'] },
      { readOnlyOnlyGroups: ['contractors', 'interns'] }, { ipAllowlist: ['10.0.0.0/8'] }, { revokeUnusedAfterDays: 30 },
      { auditTokenUse: 'all' }, { maxTokensPerUser: 1000 }, { expiryWarningDays: [] }, { pruneExpiredAfterDays: 3650 },
    ];
    for (const change of cases) expect(loosened(change), JSON.stringify(change)).to.deep.equal([]);
    expect(loosenedSettings({ ...base, tokenUserGroups: [], ipAllowlist: [] }, { ...base, tokenUserGroups: ['a'], ipAllowlist: ['10.1.0.0/16'] })).to.deep.equal([]);
  });

  it('should name each relaxed setting of a change that relaxes several', () => {
    expect(loosened({ sudoTokensAllowed: true, auditTokenUse: 'off', maxValidityMonths: 6 })).to.have.members(['sudoTokensAllowed', 'auditTokenUse']);
  });
});
