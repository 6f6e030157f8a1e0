// Attacks on the cache age limit (apitokenauth.cacheMaxAgeSeconds): a limit beyond what a timer
// can wait, and the settings and token caches used after their plugin was disabled.
import { expect } from 'chai';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { DefaultSettingsService } from '../../../plugin/service/SettingsService';
import { TokenCache } from '../../../plugin/service/TokenCache';
import { generateToken } from '../../../plugin/token/TokenFormat';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

describe('Cache age limit attacks', () => {
  let host: FakeHost;
  let bus: InvalidationBus;

  beforeEach(async () => {
    host = await createFakeHost();
    bus = new InvalidationBus(host.messaging, host.logger);
  });
  afterEach(async () => {
    await bus.close();
    await host.close();
  });

  it('should keep the settings cached when the limit is longer than a timer can wait (about 24.8 days)', async () => {
    // 30 days: setTimeout would fire after 1 ms, and every token request would read the settings.
    const settings = new DefaultSettingsService(host.settings, host.audit, bus, host.logger, host.permissions, 30 * 24 * 3600 * 1000);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => { warnings.push(w.name); };
    process.on('warning', onWarning);
    try {
      await settings.get();
      await new Promise((r) => setTimeout(r, 30));
      expect(settings.peek()).to.not.equal(null);
      expect(warnings).to.not.include('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
      settings.close();
    }
  });

  it('should not store a row whose read was under way when the token cache closed', async () => {
    const cache = new TokenCache(new AoTokenStore(host.ao), bus, { maxAgeMs: 60_000 });
    const lookup = cache.lookup(generateToken().publicId);
    cache.close();
    expect(await lookup).to.equal(null);
    expect(cache.unknownSize).to.equal(0);
    expect(cache.size).to.equal(0);
  });

  it('should cache nothing, and arm no timer, for a read after close (a request in flight while the plugin is disabled)', async () => {
    const settings = new DefaultSettingsService(host.settings, host.audit, bus, host.logger, host.permissions, 60_000);
    await settings.get();
    settings.close();
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    expect((await settings.get()).maxTokensPerUser).to.equal(100);
    // No longer subscribed to invalidations: a copy kept now would only be dropped by its age.
    expect(settings.peek()).to.equal(null);
    expect(timers()).to.equal(before);
  });
});
