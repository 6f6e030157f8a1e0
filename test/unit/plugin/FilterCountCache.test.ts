import { expect } from 'chai';
import { FILTER_COUNT_TTL_MS, FilterCountCache } from '../../../plugin/service/FilterCountCache';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

describe('FilterCountCache', () => {
  let host: FakeHost;
  let bus: InvalidationBus;
  let cache: FilterCountCache;
  let counted: number;
  const count = (n: number) => async () => { counted++; return n; };

  beforeEach(async () => {
    host = await createFakeHost();
    bus = new InvalidationBus(host.messaging, host.logger);
    cache = new FilterCountCache(bus, host.clock);
    counted = 0;
  });
  afterEach(async () => { bus.close(); await host.close(); });

  it('should count a filter once and reuse the total for the next pages', async () => {
    expect(await cache.get({ descriptionContains: 'nightly' }, count(7))).to.equal(7);
    expect(await cache.get({ descriptionContains: 'nightly' }, count(99))).to.equal(7);
    expect(await cache.get({ descriptionContains: 'backup' }, count(3))).to.equal(3);
    expect(counted).to.equal(2);
  });

  it('should count again after any token change published on the bus', async () => {
    await cache.get({}, count(5));
    await bus.publish({ kind: 'tokens', publicIds: ['abc'] });
    expect(await cache.get({}, count(6))).to.equal(6);
    await bus.publish({ kind: 'user', userKey: 'alice' });
    expect(await cache.get({}, count(4))).to.equal(4);
    expect(counted).to.equal(3);
  });

  it('should not reuse a total older than the TTL', async () => {
    await cache.get({ scope: 1 }, count(1));
    host.clock.advance(FILTER_COUNT_TTL_MS);
    expect(await cache.get({ scope: 1 }, count(2))).to.equal(2);
  });

  it('should not keep a total that a change overtook while it was being counted', async () => {
    const racing = cache.get({}, async () => {
      await bus.publish({ kind: 'tokens', publicIds: ['x'] });
      return 10;
    });
    expect(await racing).to.equal(10);
    expect(await cache.get({}, count(11))).to.equal(11);
  });
});
