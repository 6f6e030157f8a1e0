import { expect } from 'chai';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { TokenCache } from '../../../plugin/service/TokenCache';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

async function insert(host: FakeHost, userKey = 'alice') {
  const store = new AoTokenStore(host.ao);
  const g = generateToken();
  const salt = newSalt();
  const r = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey, description: 'd', created: 1, createdBy: userKey,
    validUntil: 2, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null }, 100);
  if (!r.ok) throw new Error('insert');
  return r.token;
}

describe('TokenCache', () => {
  let host: FakeHost;
  beforeEach(async () => { host = await createFakeHost(); });
  afterEach(async () => { await host.close(); });

  function cacheOn(node: FakeHost) {
    const bus = new InvalidationBus(node.messaging, node.logger);
    return { bus, cache: new TokenCache(new AoTokenStore(node.ao), bus) };
  }

  it('should read the database once per token and then answer from memory', async () => {
    const token = await insert(host);
    const { cache } = cacheOn(host);
    const before = host.ao.statements.reads;
    expect((await cache.lookup(token.publicId))?.tokenId).to.equal(token.id);
    expect((await cache.lookup(token.publicId))?.tokenId).to.equal(token.id);
    expect(host.ao.statements.reads - before).to.equal(1);
  });

  it('should drop an entry at once locally and on another node after delivery', async () => {
    const token = await insert(host);
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
    const t1 = await insert(host, 'alice');
    const t2 = await insert(host, 'bob');
    const { cache } = cacheOn(host);
    await cache.lookup(t1.publicId);
    await cache.lookup(t2.publicId);
    cache.apply({ kind: 'user', userKey: 'alice' });
    expect(cache.size).to.equal(1);
  });

  it('should not store a load that raced with an invalidation', async () => {
    const token = await insert(host);
    const { cache } = cacheOn(host);
    const pending = cache.lookup(token.publicId);
    cache.apply({ kind: 'tokens', publicIds: [token.publicId] });
    await pending;
    expect(cache.size).to.equal(0);
  });
});
