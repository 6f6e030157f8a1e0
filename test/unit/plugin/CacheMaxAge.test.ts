// What a node caches from the database has an age limit (apitokenauth.cacheMaxAgeSeconds), so
// that a change whose invalidation was lost — the change log unreachable after the commit and
// the publishing node stopped before it could send it again — is outlived on every other node.
// The end-to-end case: test/e2e/cluster/lostInvalidation.test.ts.
import { expect } from 'chai';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { DefaultSettingsService } from '../../../plugin/service/SettingsService';
import { TokenCache } from '../../../plugin/service/TokenCache';
import { generateToken } from '../../../plugin/token/TokenFormat';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';
import { insertToken } from './support/storedToken';

const MAX_AGE_MS = 60_000;

describe('Cache age limit', () => {
  let host: FakeHost;
  let now: number;
  let bus: InvalidationBus;
  let cache: TokenCache;

  beforeEach(async () => {
    host = await createFakeHost();
    now = 1_000;
    bus = new InvalidationBus(host.messaging, host.logger);
    cache = new TokenCache(new AoTokenStore(host.ao), bus, { maxAgeMs: MAX_AGE_MS, now: () => now });
  });
  afterEach(async () => {
    cache.close();
    await bus.close();
    await host.close();
  });

  it('should read a cached credential again once it is older than the limit, never before 80% of it', async () => {
    const token = await insertToken(host);
    expect((await cache.lookup(token.publicId))?.tokenId).to.equal(token.id);
    // Deleted with no invalidation: as if the one published had been lost.
    await host.ao.deleteWithSQL('Token', 'ID = ?', [token.id]);
    const reads = host.ao.statements.reads;
    now += MAX_AGE_MS * 0.79;
    expect(cache.peek(token.publicId)?.tokenId).to.equal(token.id);
    expect(host.ao.statements.reads).to.equal(reads);
    now += MAX_AGE_MS * 0.21 + 1;
    expect(cache.peek(token.publicId)).to.equal(undefined);
    expect(await cache.lookup(token.publicId)).to.equal(null);
    expect(host.ao.statements.reads).to.equal(reads + 1);
  });

  it('should read a cached credential again after the limit on the default clock (read once per resolution)', async () => {
    const real = new TokenCache(new AoTokenStore(host.ao), bus, { maxAgeMs: 300 });
    try {
      const token = await insertToken(host);
      expect((await real.lookup(token.publicId))?.tokenId).to.equal(token.id);
      await host.ao.deleteWithSQL('Token', 'ID = ?', [token.id]);
      expect(real.peek(token.publicId)?.tokenId, 'within the limit').to.equal(token.id);
      await new Promise((r) => setTimeout(r, 350));
      expect(real.peek(token.publicId), 'past the limit and the clock resolution (3 ms)').to.equal(undefined);
      expect(await real.lookup(token.publicId)).to.equal(null);
      expect(real.size).to.equal(0);
    } finally {
      real.close();
    }
  });

  it('should read an unknown public id again once it is older than the limit', async () => {
    const g = generateToken();
    expect(await cache.lookup(g.publicId)).to.equal(null);
    expect(cache.isKnownUnknown(g.publicId)).to.equal(true);
    // Created with no invalidation reaching this node.
    const token = await insertToken(host, 'alice', g);
    now += MAX_AGE_MS + 1;
    expect(cache.isKnownUnknown(g.publicId)).to.equal(false);
    expect((await cache.lookup(g.publicId))?.tokenId).to.equal(token.id);
  });

  it('should spread the ages of entries cached together over the last fifth of the limit', async () => {
    const tokens = await Promise.all(Array.from({ length: 40 }, () => insertToken(host)));
    for (const t of tokens) await cache.lookup(t.publicId);
    now += MAX_AGE_MS * 0.9;
    const left = tokens.filter((t) => cache.peek(t.publicId) !== undefined).length;
    expect(left).to.be.above(0).and.below(40);
  });

  it('should read the settings again once they are older than the limit', async () => {
    const settings = new DefaultSettingsService(host.settings, host.audit, bus, host.logger, host.permissions, 50);
    try {
      expect((await settings.get()).maxTokensPerUser).to.equal(100);
      // Changed with no invalidation reaching this node.
      await host.settings.put('settings.maxTokensPerUser', '3');
      expect(settings.peek()?.maxTokensPerUser).to.equal(100);
      await new Promise((r) => setTimeout(r, 80));
      expect(settings.peek()).to.equal(null);
      expect((await settings.get()).maxTokensPerUser).to.equal(3);
    } finally {
      settings.close();
    }
  });
});
