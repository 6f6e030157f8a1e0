import { expect } from 'chai';
import { ApiError } from '../../../plugin/errors/ApiError';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { DEFAULT_SETTINGS, mergeSettings, settingsFromStorage } from '../../../plugin/service/Settings';
import { DefaultSettingsService } from '../../../plugin/service/SettingsService';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

describe('SettingsService', () => {
  let host: FakeHost;
  beforeEach(async () => { host = await createFakeHost(); });
  afterEach(async () => { await host.close(); });

  const serviceOn = (node: FakeHost) => new DefaultSettingsService(node.settings, node.audit, new InvalidationBus(node.messaging, node.logger), node.logger, node.permissions);
  const source = { author: null, method: 'REST API' };

  it('should give the defaults of docs/api.md "Settings"', async () => {
    expect(await serviceOn(host).get()).to.deep.equal({
      maxValidityMonths: 12, defaultValidityMonths: 12, passwordBasicAuthAllowed: true, authSchemes: 'both', createOnBehalfGroups: [],
      tokenUserGroups: [], readOnlyOnlyGroups: [], maxTokensPerUser: 100, ipAllowlist: [], expiryWarningDays: [7, 1], notifyOnNewIp: true,
      pruneExpiredAfterDays: 30, revokeUnusedAfterDays: 0, auditTokenUse: 'sampled', sudoTokensAllowed: false,
    });
  });

  // A transaction waiting on the settings' lock holds a pooled connection: changes sent at once
  // (a stolen administrator token in a loop) must queue on the node, not each take one.
  it('should open one settings transaction at a time on a node, however many changes arrive at once', async () => {
    const settings = host.settings;
    let open = 0;
    let most = 0;
    const update = settings.update.bind(settings);
    settings.update = (async (decide: Parameters<typeof update>[0]) => {
      open++;
      most = Math.max(most, open);
      try {
        await new Promise((r) => setTimeout(r, 2));
        return await update(decide);
      } finally {
        open--;
      }
    }) as typeof settings.update;
    const service = serviceOn(host);
    const answers = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => service.update({ maxTokensPerUser: 10 + i }, source)));
    expect(answers.map((a) => a.status)).to.deep.equal(Array(20).fill('fulfilled'));
    expect(most, 'settings transactions open at once').to.equal(1);
    expect((await service.get()).maxTokensPerUser).to.equal(29);
  });

  it('should validate every value and report each bad field', () => {
    const r = mergeSettings(DEFAULT_SETTINGS, { maxValidityMonths: 0, authSchemes: 'x', ipAllowlist: ['1.2.3.4/40'], foo: 1 });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).to.deep.equal(['authSchemes', 'foo', 'ipAllowlist', 'maxValidityMonths']);
    expect(mergeSettings(DEFAULT_SETTINGS, { maxValidityMonths: 3, defaultValidityMonths: 4 }).ok).to.equal(false);
    expect(mergeSettings(DEFAULT_SETTINGS, { maxValidityMonths: 3, defaultValidityMonths: 3 }).ok).to.equal(true);
    expect(mergeSettings(DEFAULT_SETTINGS, 'x').ok).to.equal(false);
  });

  it('should lower the default with a lowered maximum and say so, unless a new default above it is sent', () => {
    for (const change of [{ maxValidityMonths: 3 }, { maxValidityMonths: 3, defaultValidityMonths: 12 }]) {
      const r = mergeSettings(DEFAULT_SETTINGS, change);
      expect(r.ok, JSON.stringify(change)).to.equal(true);
      if (r.ok) {
        expect(r.value).to.include({ maxValidityMonths: 3, defaultValidityMonths: 3 });
        expect(r.notices).to.deep.equal([{ field: 'defaultValidityMonths', key: 'defaultLoweredToMaximum', args: [12, 3] }]);
      }
    }
    const unchanged = mergeSettings(DEFAULT_SETTINGS, { maxValidityMonths: 24 });
    expect(unchanged.ok && unchanged.notices).to.deep.equal([]);
    const bad = mergeSettings(DEFAULT_SETTINGS, { maxValidityMonths: 3, defaultValidityMonths: 6 });
    expect(bad.ok).to.equal(false);
    if (!bad.ok) expect(Object.keys(bad.errors)).to.deep.equal(['defaultValidityMonths']);
  });

  it('should refuse group names that name no group, naming them, and store nothing', async () => {
    const s = serviceOn(host);
    host.users.addGroup('api-users');
    try {
      await s.update({ tokenUserGroups: ['api-users', 'api-usres'], readOnlyOnlyGroups: ['x', 'y'], createOnBehalfGroups: ['JIRA-ADMINS'], maxTokensPerUser: 5 }, source);
      expect.fail('no error');
    } catch (err) {
      expect((err as ApiError).code).to.equal('SETTINGS_INVALID');
      expect((err as ApiError).fieldErrors).to.deep.equal({
        tokenUserGroups: { key: 'unknownGroup', args: ['"api-usres"'] },
        readOnlyOnlyGroups: { key: 'unknownGroups', args: ['"x", "y"'] },
      });
    }
    expect((await s.get()).maxTokensPerUser).to.equal(100);
    const ok = await s.update({ tokenUserGroups: ['API-Users'], createOnBehalfGroups: ['jira-admins'] }, source);
    expect(ok.settings.tokenUserGroups).to.deep.equal(['API-Users']);
    expect(ok.notices).to.deep.equal([]);
  });

  it('should keep each group once, in any case, and each allowlist entry once, in the order given', () => {
    const r = mergeSettings(DEFAULT_SETTINGS, {
      tokenUserGroups: ['api-users', 'API-Users ', 'ci', ' api-users'], ipAllowlist: ['10.0.0.0/8', ' 10.0.0.0/8', '::1'], expiryWarningDays: [14, 7],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.tokenUserGroups).to.deep.equal(['api-users', 'ci']);
    expect(r.value.ipAllowlist).to.deep.equal(['10.0.0.0/8', '::1']);
    expect(r.value.expiryWarningDays).to.deep.equal([14, 7]);
  });

  it('should accept only IP allowlist entries the allowlist matcher understands', () => {
    expect(mergeSettings(DEFAULT_SETTINGS, { ipAllowlist: ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8'] }).ok).to.equal(true);
    for (const entry of ['127.1', '0x7f.0.0.1', '10.0.0.0/33', 'nope', ' '.repeat(60) + '10.0.0.1']) {
      expect(mergeSettings(DEFAULT_SETTINGS, { ipAllowlist: [entry] }).ok, entry).to.equal(false);
    }
  });

  it('should read corrupt stored values as the tightest of their kind, never a looser default (review of 2026-12-04)', () => {
    const s = settingsFromStorage({ 'settings.maxValidityMonths': 'oops', 'settings.authSchemes': '"bearer"', 'settings.maxTokensPerUser': '-1', 'settings.passwordBasicAuthAllowed': '"yes"' });
    expect(s).to.include({ maxValidityMonths: 1, authSchemes: 'bearer', maxTokensPerUser: 1, passwordBasicAuthAllowed: false });
    expect(settingsFromStorage({})).to.include({ maxValidityMonths: 12, maxTokensPerUser: 100, passwordBasicAuthAllowed: true });
  });

  it('should answer from cache and see a change on another node once delivered', async () => {
    const node2 = host.addNode('node-2');
    const a = serviceOn(host);
    const b = serviceOn(node2);
    await a.get();
    await b.get();
    const reads = host.settings.reads;
    await b.get();
    expect(host.settings.reads).to.equal(reads);
    await a.update({ authSchemes: 'bearer' }, source);
    expect((await a.get()).authSchemes).to.equal('bearer');
    expect((await b.get()).authSchemes).to.equal('both');
    host.network.deliver();
    expect((await b.get()).authSchemes).to.equal('bearer');
  });

  it('should audit changed values and reject bad ones with SETTINGS_INVALID', async () => {
    const s = serviceOn(host);
    await s.update({ maxTokensPerUser: 5, notifyOnNewIp: true }, source);
    expect(host.audit.events).to.have.length(1);
    expect(host.audit.events[0].changedValues).to.deep.equal([{ key: 'maxTokensPerUser', from: '100', to: '5' }]);
    try {
      await s.update({ maxTokensPerUser: 'many' }, source);
      expect.fail('no error');
    } catch (err) {
      expect((err as ApiError).code).to.equal('SETTINGS_INVALID');
    }
    expect((await s.get()).maxTokensPerUser).to.equal(5);
  });
});
