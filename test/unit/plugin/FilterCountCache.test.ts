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

  describe('bounded (substring filters)', () => {
    const upTo = (n: number) => async (cap: number) => Math.min(n, cap + 1);

    it('should answer an exact total at once when there are at most cap matches, and keep it', async () => {
      expect(await cache.bounded({ descriptionContains: 'rare' }, 1000, upTo(12), count(12))).to.deep.equal({ total: 12, exact: true });
      expect(await cache.bounded({ descriptionContains: 'rare' }, 1000, upTo(99), count(99))).to.deep.equal({ total: 12, exact: true });
      expect(counted).to.equal(0);
    });

    it('should answer a lower bound above cap, count exactly in the background, and serve that next', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      const exact = async () => { counted++; await gate; return 5000; };
      expect(await cache.bounded({ descriptionContains: 'nightly' }, 1000, upTo(5000), exact)).to.deep.equal({ total: 1001, exact: false });
      // Not started before the answer is out (a synchronous driver would delay the answer).
      expect(counted).to.equal(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(counted).to.equal(1);
      // A second request while the count runs: still the bound, and no second background count.
      expect(await cache.bounded({ descriptionContains: 'nightly' }, 1000, upTo(5000), exact)).to.deep.equal({ total: 1001, exact: false });
      await new Promise((resolve) => setImmediate(resolve));
      expect(counted).to.equal(1);
      release();
      await new Promise((resolve) => setImmediate(resolve));
      expect(await cache.bounded({ descriptionContains: 'nightly' }, 1000, upTo(5000), exact)).to.deep.equal({ total: 5000, exact: true });
      expect(counted).to.equal(1);
    });

    it('should start the background count only after what the answer also waits for has settled', async () => {
      let release!: () => void;
      const page = new Promise<void>((resolve) => { release = resolve; });
      const exact = async () => { counted++; return 5000; };
      expect(await cache.bounded({ descriptionContains: 'slow page' }, 10, upTo(50), exact, page)).to.deep.equal({ total: 11, exact: false });
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(counted).to.equal(0);
      release();
      await page;
      expect(counted).to.equal(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(counted).to.equal(1);
    });

    it('should run at most two background counts at once and count again after a failed one', async () => {
      const never = () => new Promise<number>(() => undefined);
      await cache.bounded({ descriptionContains: 'a' }, 10, upTo(50), async () => { counted++; return never(); });
      await cache.bounded({ descriptionContains: 'b' }, 10, upTo(50), async () => { counted++; return never(); });
      await cache.bounded({ descriptionContains: 'c' }, 10, upTo(50), async () => { counted++; return never(); });
      await new Promise((resolve) => setImmediate(resolve));
      expect(counted).to.equal(2);
      const fresh = new FilterCountCache(bus, host.clock);
      await fresh.bounded({ descriptionContains: 'd' }, 10, upTo(50), async () => { counted++; throw new Error('database down'); });
      await new Promise((resolve) => setImmediate(resolve));
      expect(await fresh.bounded({ descriptionContains: 'd' }, 10, upTo(50), count(50))).to.deep.equal({ total: 11, exact: false });
      await new Promise((resolve) => setImmediate(resolve));
      expect(await fresh.bounded({ descriptionContains: 'd' }, 10, upTo(50), count(50))).to.deep.equal({ total: 50, exact: true });
    });
  });
});
