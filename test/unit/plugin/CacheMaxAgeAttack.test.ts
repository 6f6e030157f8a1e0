// Attacks on the cache age limit (apitokenauth.cacheMaxAgeSeconds): a limit beyond what a timer
// can wait, and a settings service used after its plugin was disabled.
import { expect } from 'chai';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { DefaultSettingsService } from '../../../plugin/service/SettingsService';
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
