// TokenCache: the misses of one turn of the event loop are read together (issue 14, cold node).
import { expect } from 'chai';
import type { TokenCredential } from '../../../plugin/ao/Token';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { TokenCache } from '../../../plugin/service/TokenCache';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

async function insertMany(host: FakeHost, count: number) {
  const store = new AoTokenStore(host.ao);
  const out = [];
  for (let i = 0; i < count; i++) {
    const g = generateToken();
    const salt = newSalt();
    const r = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey: `user${i % 3}`, description: `t${i}`, created: 1,
      createdBy: 'admin', validUntil: 2, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null }, 1000);
    if (!r.ok) throw new Error('insert');
    out.push(r.token);
  }
  return out;
}

describe('TokenCache batched reads', () => {
  let host: FakeHost;
  beforeEach(async () => { host = await createFakeHost(); });
  afterEach(async () => { await host.close(); });

  const cacheWith = (store: AoTokenStore) => new TokenCache(store, new InvalidationBus(host.messaging, host.logger));

  it('should read the concurrent misses of one turn with one statement, each answer its own row or null', async () => {
    const tokens = await insertMany(host, 40);
    const unknown = [generateToken().publicId, generateToken().publicId];
    const cache = cacheWith(new AoTokenStore(host.ao));
    const before = host.ao.statements.reads;
    const ids = [...tokens.map((t) => t.publicId), ...unknown, tokens[0].publicId];
    const answers = await Promise.all(ids.map((id) => cache.lookup(id)));
    expect(host.ao.statements.reads - before).to.equal(1);
    expect(answers.map((c) => c?.tokenId ?? null)).to.deep.equal([...tokens.map((t) => t.id), null, null, tokens[0].id]);
    expect(cache.size).to.equal(40);
    expect(unknown.map((id) => cache.isKnownUnknown(id))).to.deep.equal([true, true]);
    // Answered from memory afterwards.
    await Promise.all(ids.map((id) => cache.lookup(id)));
    expect(host.ao.statements.reads - before).to.equal(1);
  });

  it('should read at most 100 public ids per statement', async () => {
    const tokens = await insertMany(host, 150);
    const cache = cacheWith(new AoTokenStore(host.ao));
    const before = host.ao.statements.reads;
    const answers = await Promise.all(tokens.map((t) => cache.lookup(t.publicId)));
    expect(answers.map((c) => c?.tokenId)).to.deep.equal(tokens.map((t) => t.id));
    expect(host.ao.statements.reads - before).to.equal(2);
  });

  it('should read a miss of a later turn with its own statement', async () => {
    const [a, b] = await insertMany(host, 2);
    const cache = cacheWith(new AoTokenStore(host.ao));
    const before = host.ao.statements.reads;
    expect((await cache.lookup(a.publicId))?.tokenId).to.equal(a.id);
    expect((await cache.lookup(b.publicId))?.tokenId).to.equal(b.id);
    expect(host.ao.statements.reads - before).to.equal(2);
  });

  it('should fail every lookup of a failed read, remember nothing, and read again on the next lookup', async () => {
    const tokens = await insertMany(host, 3);
    const store = new AoTokenStore(host.ao);
    let failures = 1;
    const flaky = Object.create(store) as AoTokenStore;
    flaky.findCredentials = (publicIds: readonly string[]): Promise<TokenCredential[]> => {
      if (failures-- > 0) return Promise.reject(new Error('connection lost'));
      return store.findCredentials(publicIds);
    };
    const cache = cacheWith(flaky);
    const outcomes = await Promise.allSettled(tokens.map((t) => cache.lookup(t.publicId)));
    expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected', 'rejected']);
    expect(cache.size).to.equal(0);
    expect(tokens.map((t) => cache.isKnownUnknown(t.publicId))).to.deep.equal([false, false, false]);
    const again = await Promise.all(tokens.map((t) => cache.lookup(t.publicId)));
    expect(again.map((c) => c?.tokenId)).to.deep.equal(tokens.map((t) => t.id));
  });

  it('should hold further misses while two reads are under way and read them with one statement after', async () => {
    const tokens = await insertMany(host, 8);
    const store = new AoTokenStore(host.ao);
    const calls: string[][] = [];
    const release: Array<() => void> = [];
    const slow = Object.create(store) as AoTokenStore;
    const held = (ids: readonly string[]): Promise<TokenCredential[]> => {
      calls.push([...ids]);
      return new Promise<void>((resolve) => release.push(resolve)).then(() => store.findCredentials(ids));
    };
    slow.findCredentials = held;
    slow.findCredential = (id: string) => held([id]).then((found) => found[0] ?? null);
    const cache = cacheWith(slow);
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const answers: Array<Promise<TokenCredential | null>> = [];
    // Misses in four turns: the first two are read at once, the last two wait together.
    for (const pair of [[0, 1], [2, 3], [4, 5], [6, 7]]) {
      for (const i of pair) answers.push(cache.lookup(tokens[i].publicId));
      await turn();
      await turn();
    }
    expect(calls.map((c) => c.length)).to.deep.equal([2, 2]);
    release.shift()?.();
    await turn();
    await turn();
    await turn();
    expect(calls.map((c) => c.length)).to.deep.equal([2, 2, 4]);
    while (release.length > 0) release.shift()?.();
    const found = await Promise.all(answers);
    expect(found.map((c) => c?.tokenId)).to.deep.equal(tokens.map((t) => t.id));
  });

  it('should answer every lookup of an id that waits in a batch when an invalidation starts a second load of it', async () => {
    // Found by the attack review of 2026-12-04: the second load took the first one's place in
    // the batch, and the first request never got an answer.
    const tokens = await insertMany(host, 3);
    const store = new AoTokenStore(host.ao);
    const release: Array<() => void> = [];
    const slow = Object.create(store) as AoTokenStore;
    const held = (ids: readonly string[]): Promise<TokenCredential[]> =>
      new Promise<void>((resolve) => release.push(resolve)).then(() => store.findCredentials(ids));
    slow.findCredentials = held;
    slow.findCredential = (id: string) => held([id]).then((found) => found[0] ?? null);
    const bus = new InvalidationBus(host.messaging, host.logger);
    const cache = new TokenCache(slow, bus);
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    // Two reads under way: the third id waits in the next batch.
    const first = [cache.lookup(tokens[0].publicId)];
    await turn();
    first.push(cache.lookup(tokens[1].publicId));
    await turn();
    const waiting = cache.lookup(tokens[2].publicId);
    await turn();
    cache.apply({ kind: 'tokens', publicIds: ['someone-elses-id'] });
    const again = cache.lookup(tokens[2].publicId);
    for (let i = 0; i < 6; i++) {
      while (release.length > 0) release.shift()?.();
      await turn();
    }
    // Before the fix the first of the two never settled (mocha's timeout).
    const answers = await Promise.all([...first, waiting, again]);
    expect(answers.map((c) => c?.tokenId)).to.deep.equal([tokens[0].id, tokens[1].id, tokens[2].id, tokens[2].id]);
  });
});
