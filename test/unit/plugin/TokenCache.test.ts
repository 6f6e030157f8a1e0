import { expect } from 'chai';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { credentialBytes, TokenCache } from '../../../plugin/service/TokenCache';
import { generateToken } from '../../../plugin/token/TokenFormat';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';
import { insertToken } from './support/storedToken';

describe('TokenCache', () => {
  let host: FakeHost;
  beforeEach(async () => { host = await createFakeHost(); });
  afterEach(async () => { await host.close(); });

  function cacheOn(node: FakeHost) {
    const bus = new InvalidationBus(node.messaging, node.logger);
    return { bus, cache: new TokenCache(new AoTokenStore(node.ao), bus) };
  }

  it('should read the database once per token and then answer from memory', async () => {
    const token = await insertToken(host);
    const { cache } = cacheOn(host);
    const before = host.ao.statements.reads;
    expect((await cache.lookup(token.publicId))?.tokenId).to.equal(token.id);
    expect((await cache.lookup(token.publicId))?.tokenId).to.equal(token.id);
    expect(host.ao.statements.reads - before).to.equal(1);
  });

  it('should drop an entry at once locally and on another node after delivery', async () => {
    const token = await insertToken(host);
    const node2 = host.addNode('node-2');
    const a = cacheOn(host);
    const b = cacheOn(node2);
    await a.cache.lookup(token.publicId);
    await b.cache.lookup(token.publicId);
    await host.ao.deleteWithSQL('Token', 'ID = ?', [token.id]);
    await a.bus.publish({ kind: 'tokens', publicIds: [token.publicId] });
    expect(await a.cache.lookup(token.publicId)).to.equal(null);
    expect(b.cache.size).to.equal(1);
    host.network.deliver();
    expect(b.cache.size).to.equal(0);
    expect(await b.cache.lookup(token.publicId)).to.equal(null);
  });

  it('should drop all entries of a user', async () => {
    const t1 = await insertToken(host, 'alice');
    const t2 = await insertToken(host, 'bob');
    const { cache } = cacheOn(host);
    await cache.lookup(t1.publicId);
    await cache.lookup(t2.publicId);
    cache.apply({ kind: 'user', userKey: 'alice' });
    expect(cache.size).to.equal(1);
  });

  it('should not store a load that raced with an invalidation', async () => {
    const token = await insertToken(host);
    const { cache } = cacheOn(host);
    const pending = cache.lookup(token.publicId);
    cache.apply({ kind: 'tokens', publicIds: [token.publicId] });
    await pending;
    expect(cache.size).to.equal(0);
  });

  it('should keep the recently used entries when over its memory budget (a hit refreshes an entry)', async () => {
    const tokens = [await insertToken(host), await insertToken(host), await insertToken(host)];
    const store = new AoTokenStore(host.ao);
    const one = await store.findCredential(tokens[0].publicId);
    // Room for exactly two credentials of this size.
    const budget = credentialBytes(one!) * 2 + 10;
    const cache = new TokenCache(store, new InvalidationBus(host.messaging, host.logger), { maxBytes: budget });
    await cache.lookup(tokens[0].publicId);
    await cache.lookup(tokens[1].publicId);
    expect(cache.peek(tokens[0].publicId)?.tokenId).to.equal(tokens[0].id); // hit: token 0 is now the most recent
    await cache.lookup(tokens[2].publicId); // evicts the least recently used: token 1
    expect(cache.size).to.equal(2);
    expect(cache.bytes).to.be.at.most(budget);
    expect(cache.peek(tokens[0].publicId), 'refreshed by the hit').to.not.equal(undefined);
    expect(cache.peek(tokens[1].publicId), 'least recently used').to.equal(undefined);
    expect(cache.peek(tokens[2].publicId)).to.not.equal(undefined);
  });

  it('should estimate a credential by its strings, above the fixed overhead', async () => {
    const token = await insertToken(host);
    const c = await new AoTokenStore(host.ao).findCredential(token.publicId);
    const bytes = credentialBytes(c!);
    expect(bytes).to.be.greaterThan(200 + 64 + 64); // the fixed part, hash and salt hex
    expect(bytes).to.be.lessThan(1000);
  });

  describe('unknown public ids', () => {
    it('should read the database once for a repeated well-formed unknown id, also for concurrent misses', async () => {
      const { cache } = cacheOn(host);
      const unknown = generateToken().publicId;
      const before = host.ao.statements.reads;
      const first = await Promise.all(Array.from({ length: 50 }, () => cache.lookup(unknown)));
      for (let i = 0; i < 50; i++) expect(await cache.lookup(unknown)).to.equal(null);
      expect(first.every((c) => c === null)).to.equal(true);
      expect(host.ao.statements.reads - before).to.equal(1);
      expect(cache.isKnownUnknown(unknown)).to.equal(true);
      expect(cache.size).to.equal(0);
    });

    it('should forget an unknown id when a token with it is created, on this node and on another', async () => {
      const node2 = host.addNode('node-2');
      const a = cacheOn(host);
      const b = cacheOn(node2);
      const g = generateToken();
      expect(await a.cache.lookup(g.publicId)).to.equal(null);
      expect(await b.cache.lookup(g.publicId)).to.equal(null);
      const token = await insertToken(host, 'alice', g);
      await a.bus.publish({ kind: 'tokens', publicIds: [g.publicId] }); // what the create path publishes
      expect(a.cache.isKnownUnknown(g.publicId)).to.equal(false);
      expect((await a.cache.lookup(g.publicId))?.tokenId).to.equal(token.id);
      host.network.deliver();
      expect(b.cache.isKnownUnknown(g.publicId)).to.equal(false);
      expect((await b.cache.lookup(g.publicId))?.tokenId).to.equal(token.id);
    });

    it('should not remember an id as unknown when a create raced with its read', async () => {
      const { cache } = cacheOn(host);
      const g = generateToken();
      const pending = cache.lookup(g.publicId);
      await insertToken(host, 'alice', g);
      cache.apply({ kind: 'tokens', publicIds: [g.publicId] });
      await pending;
      expect(cache.isKnownUnknown(g.publicId)).to.equal(false);
    });

    it('should remember at most maxUnknown ids, least recently used first out', async () => {
      const cache = new TokenCache(new AoTokenStore(host.ao), new InvalidationBus(host.messaging, host.logger), { maxUnknown: 3 });
      const ids = Array.from({ length: 5 }, () => generateToken().publicId);
      for (const id of ids) await cache.lookup(id);
      expect(cache.unknownSize).to.equal(3);
      expect(ids.map((id) => cache.isKnownUnknown(id))).to.deep.equal([false, false, true, true, true]);
    });

    it('should forget every unknown id on an "all" invalidation', async () => {
      const { cache } = cacheOn(host);
      const id = generateToken().publicId;
      await cache.lookup(id);
      cache.apply({ kind: 'all' });
      expect(cache.isKnownUnknown(id)).to.equal(false);
    });
  });
});
