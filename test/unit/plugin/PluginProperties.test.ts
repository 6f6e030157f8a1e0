// The plugin's system properties (HOSTSIM_SYSPROPS, <DATA_DIR>/host.properties): one reading of
// them at activation. A value the plugin cannot use stops the activation, naming the property,
// instead of falling back to the default in silence (`apitokenauth.secure.mode=yes` used to
// leave secure mode off, while APITOKENAUTH_SECURE_MODE=yes switched it on); a name in the
// plugin's namespace that it does not know (a typo such as `apitokenauth.secureMode`) is logged.
import { expect } from 'chai';
import { SystemPropertyError } from '../../../host-sim/spi';
import { createActivate } from '../../../plugin';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';
import { startPluginApp } from './support/pluginApp';

const API = '/rest/de.resolution.apitokenauth/latest';
const AUTH = `Basic ${Buffer.from('alice:alice-pw').toString('base64')}`;

async function activationError(systemProperties: Record<string, string>): Promise<unknown> {
  const host = await createFakeHost({ systemProperties });
  try {
    const plugin = await createActivate({ auditFlushIntervalMs: 50 })(host.context);
    await plugin.deactivate();
    return undefined;
  } catch (err) {
    return err;
  } finally {
    await host.close();
  }
}

/** Whether a token's description can still be changed after creation (secure mode says no). */
async function secureModeOn(host: FakeHost): Promise<boolean> {
  host.users.addUser({ name: 'alice', password: 'alice-pw' });
  const app = await startPluginApp({}, host);
  try {
    const created = (await app.request('POST', `${API}/user/token`, { auth: AUTH, body: {} })).body as { id: number };
    const patch = await app.request('PATCH', `${API}/user/token/${created.id}`, { auth: AUTH, body: { tokenDescription: 'renamed' } });
    expect(patch.status).to.be.oneOf([200, 403]);
    return patch.status === 403;
  } finally {
    await app.close();
    await host.close();
  }
}

describe('PluginProperties', () => {
  for (const spelling of ['true', 'TRUE', ' yes ', 'on', '1']) {
    it(`should switch secure mode on for apitokenauth.secure.mode=${JSON.stringify(spelling)}, as APITOKENAUTH_SECURE_MODE does`, async () => {
      expect(await secureModeOn(await createFakeHost({ systemProperties: { 'apitokenauth.secure.mode': spelling } }))).to.equal(true);
    });
  }

  for (const spelling of ['false', 'No', 'off', '0', '']) {
    it(`should leave secure mode off for apitokenauth.secure.mode=${JSON.stringify(spelling)}`, async () => {
      expect(await secureModeOn(await createFakeHost({ systemProperties: { 'apitokenauth.secure.mode': spelling } }))).to.equal(false);
    });
  }

  const unusable: Array<[string, string]> = [
    ['apitokenauth.secure.mode', 'ture'],
    ['apitokenauth.secure.mode', 'enabled'],
    ['apitokenauth.tokenCache.maxMiB', '256MB'],
    ['apitokenauth.tokenCache.maxMiB', '0'],
    ['apitokenauth.tokenCache.maxUnknown', '-5'],
    ['apitokenauth.restrictionsCache.maxMiB', '1.5'],
    ['apitokenauth.cacheMaxAgeSeconds', '1e3'],
    ['apitokenauth.cacheMaxAgeSeconds', '86401'],
    ['apitokenauth.databaseTimeoutMs', '600001'],
    ['apitokenauth.databaseTimeoutMs', '10s'],
    ['apitokenauth.failedAttemptsPerMinute', 'unlimited'],
    ['apitokenauth.revokeRequestsPerMinute', '0x10'],
    ['apitokenauth.lastAccessFlush.answerWindowMs', '60001'],
    ['apitokenauth.tokenCache.maxMiB', '99999999999999999999'],
  ];
  for (const [property, value] of unusable) {
    it(`should not activate with ${property}=${value}, naming the property and its value`, async () => {
      const err = await activationError({ [property]: value });
      expect(err).to.be.instanceOf(SystemPropertyError);
      expect(err).to.include({ property, value });
    });
  }

  it('should activate with every property at a usable value, spaces around it allowed', async () => {
    expect(await activationError({
      'apitokenauth.secure.mode': 'false', 'apitokenauth.tokenCache.maxMiB': ' 64 ', 'apitokenauth.tokenCache.maxUnknown': '1000',
      'apitokenauth.restrictionsCache.maxMiB': '8', 'apitokenauth.cacheMaxAgeSeconds': '86400', 'apitokenauth.databaseTimeoutMs': '600000',
      'apitokenauth.failedAttemptsPerMinute': '50', 'apitokenauth.revokeRequestsPerMinute': '20', 'apitokenauth.lastAccessFlush.answerWindowMs': '60000',
    })).to.equal(undefined);
  });

  it('should log a name in its namespace that it does not know, and activate', async () => {
    const host = await createFakeHost({ systemProperties: { 'apitokenauth.secureMode': 'true', 'hostsim.trusted.proxies': '10.0.0.1', 'other.property': 'x' } });
    try {
      const plugin = await createActivate({ auditFlushIntervalMs: 50 })(host.context);
      await plugin.deactivate();
      const warnings = host.logLines.filter((line) => line.startsWith('warn ') && line.includes('apitokenauth.secureMode'));
      expect(warnings, host.logLines.join('\n')).to.have.length(1);
      expect(warnings[0]).to.include('apitokenauth.secure.mode');
      expect(host.logLines.join('\n')).not.to.include('hostsim.trusted.proxies').and.not.to.include('other.property');
    } finally {
      await host.close();
    }
  });
});
