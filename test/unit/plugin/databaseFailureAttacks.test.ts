// The database failing or stalling under the shared reads and the change bookkeeping (review 12),
// in unit form: the deadlines of Deadline.ts in the token cache and the settings service, and
// publishCommitted. The end-to-end attacks are test/e2e/plugin/databaseFailureAttacks.
import { expect } from 'chai';
import { isServiceUnavailable } from '../../../host-sim/spi';
import type { TokenCredential } from '../../../plugin/ao/Token';
import type { LastAccessBatch } from '../../../plugin/ao/TokenStore';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { publishCommitted } from '../../../plugin/service/CommittedChange';
import { withDeadline } from '../../../plugin/service/Deadline';
import { LastAccessRecorder } from '../../../plugin/service/LastAccessRecorder';
import { InvalidationBus, type Invalidation } from '../../../plugin/service/InvalidationBus';
import { DefaultSettingsService } from '../../../plugin/service/SettingsService';
import { TokenCache } from '../../../plugin/service/TokenCache';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

const TIMEOUT_MS = 50;

/** A store whose credential reads wait for `release()` (a stalled connection), or fail. */
class StallingStore extends AoTokenStore {
  stall = false;
  fail: Error | null = null;
  private readonly held: Array<() => void> = [];
  release(): void {
    for (const go of this.held.splice(0)) go();
  }
  private async gate(): Promise<void> {
    if (this.fail) throw this.fail;
    if (this.stall) await new Promise<void>((resolve) => { this.held.push(resolve); });
  }
  override async findCredential(publicId: string): Promise<TokenCredential | null> {
    await this.gate();
    return super.findCredential(publicId);
  }
  override async findCredentials(publicIds: readonly string[]): Promise<TokenCredential[]> {
    await this.gate();
    return super.findCredentials(publicIds);
  }
}

async function insertOne(store: AoTokenStore, userKey: string): Promise<string> {
  const g = generateToken();
  const salt = newSalt();
  const r = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey, description: 'd', created: 1,
    createdBy: 'admin', validUntil: Date.now() + 60_000, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null }, 1000);
  if (!r.ok) throw new Error('insert');
  return g.publicId;
}

async function rejectionOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('resolved');
}

describe('database failure attacks (unit)', () => {
  let host: FakeHost;
  beforeEach(async () => { host = await createFakeHost(); });
  afterEach(async () => { await host.close(); });

  describe('TokenCache', () => {
    const cacheWith = (store: AoTokenStore) => new TokenCache(store, new InvalidationBus(host.messaging, host.logger), { readTimeoutMs: TIMEOUT_MS });

    it('should refuse a lookup whose read does not answer in time with ServiceUnavailable, keep nothing its late answer brings, and read again next time', async () => {
      const store = new StallingStore(host.ao);
      const id = await insertOne(store, 'alice');
      const cache = cacheWith(store);
      store.stall = true;
      const err = await rejectionOf(cache.lookup(id));
      expect(isServiceUnavailable(err)).to.equal(true);
      store.stall = false;
      store.release();
      await new Promise((r) => setTimeout(r, 10));
      expect(cache.peek(id), 'the late answer').to.equal(undefined);
      expect(cache.isKnownUnknown(id)).to.equal(false);
      expect((await cache.lookup(id))?.publicId).to.equal(id);
    });

    it('should give the place of two stalled reads to the next misses', async () => {
      const store = new StallingStore(host.ao);
      const [a, b, c] = [await insertOne(store, 'a'), await insertOne(store, 'b'), await insertOne(store, 'c')];
      const cache = cacheWith(store);
      store.stall = true;
      const first = cache.lookup(a).catch((e: unknown) => e);
      await new Promise((r) => setImmediate(r));
      const second = cache.lookup(b).catch((e: unknown) => e);
      await new Promise((r) => setImmediate(r));
      store.stall = false;
      const third = await cache.lookup(c);
      expect(third?.publicId).to.equal(c);
      expect([isServiceUnavailable(await first), isServiceUnavailable(await second)]).to.deep.equal([true, true]);
      store.release();
    });

    it('should reject every waiter of a failing batched read and remember none of their ids as unknown', async () => {
      const store = new StallingStore(host.ao);
      const ids = [await insertOne(store, 'a'), await insertOne(store, 'b'), generateToken().publicId];
      const cache = cacheWith(store);
      store.fail = new Error('injected');
      const answers = await Promise.all(ids.map((id) => cache.lookup(id).then(() => 'resolved', (e: Error) => e.message)));
      expect(answers).to.deep.equal(['injected', 'injected', 'injected']);
      expect(ids.map((id) => cache.isKnownUnknown(id))).to.deep.equal([false, false, false]);
      expect(cache.size).to.equal(0);
      store.fail = null;
      expect((await Promise.all(ids.map((id) => cache.lookup(id)))).map((x) => x?.publicId ?? null)).to.deep.equal([ids[0], ids[1], null]);
    });
  });

  describe('DefaultSettingsService', () => {
    it('should give up a settings read that does not answer in time, and read again for the next caller', async () => {
      const bus = new InvalidationBus(host.messaging, host.logger);
      let stall = true;
      const held: Array<() => void> = [];
      const stored = host.settings;
      const stalling = {
        get: (k: string) => stored.get(k),
        put: (k: string, v: string) => stored.put(k, v),
        remove: (k: string) => stored.remove(k),
        update: stored.update.bind(stored),
        getAll: async () => {
          if (stall) await new Promise<void>((resolve) => { held.push(resolve); });
          return stored.getAll();
        },
      };
      const settings = new DefaultSettingsService(stalling, host.audit, bus, host.logger, host.permissions, 60_000, TIMEOUT_MS);
      expect(isServiceUnavailable(await rejectionOf(settings.get()))).to.equal(true);
      stall = false;
      expect((await settings.get()).maxTokensPerUser).to.be.a('number');
      for (const go of held) go();
      settings.close();
    });
  });

  describe('LastAccessRecorder', () => {
    // FINDING (medium): while its writes failed (a full disk, a read-only database: reads and the
    // change log still working, so tokens were still admitted), every failed flush put its batch back
    // beside the tokens used during it: each round could add maxPending more, so a node whose tokens
    // kept being used grew its memory without bound until it crashed.
    it('should stay within maxPending when flushes keep failing while other tokens are used during each one', async () => {
      const MAX = 3;
      let during: (() => void) | null = null;
      const failing = new (class extends AoTokenStore {
        override async recordLastAccess(_updates: LastAccessBatch): Promise<void> {
          during?.();
          await new Promise((r) => setImmediate(r));
          throw new Error('injected: disk full');
        }
      })(host.ao);
      const rec = new LastAccessRecorder(failing, host.logger, { maxPending: MAX, flushAt: MAX });
      let next = 1;
      const useNew = () => { for (let i = 0; i < MAX; i++) rec.record(next++, 1000 + next, '10.0.0.1'); };
      useNew();
      const sizes: number[] = [];
      for (let round = 0; round < 4; round++) {
        during = useNew;
        await rec.flush().catch(() => undefined);
        during = null;
        sizes.push(rec.size);
      }
      expect(sizes, 'pending tokens after each failed flush').to.deep.equal([MAX, MAX, MAX, MAX]);
      expect(host.logLines.some((l) => l.includes('dropped')), 'the drop is logged by the next flush').to.equal(true);
    });
  });

  describe('publishCommitted', () => {
    it('should record the change and then throw the publish\'s error when the publish fails', async () => {
      const order: string[] = [];
      const failing = { publish: async (_inv: Invalidation) => { order.push('publish'); throw new Error('send failed'); } };
      const err = await rejectionOf(publishCommitted(failing, { kind: 'settings' }, async () => { order.push('record'); }));
      expect((err as Error).message).to.equal('send failed');
      expect(order).to.deep.equal(['publish', 'record']);
    });

    it('should record after a publish that succeeds', async () => {
      const order: string[] = [];
      await publishCommitted({ publish: async () => { order.push('publish'); } }, { kind: 'settings' }, async () => { order.push('record'); });
      expect(order).to.deep.equal(['publish', 'record']);
    });
  });

  describe('withDeadline', () => {
    it('should pass an answer in time through, and refuse with ServiceUnavailable after the deadline', async () => {
      expect(await withDeadline(Promise.resolve(7), TIMEOUT_MS, 'x')).to.equal(7);
      const never = new Promise<number>(() => undefined);
      expect(isServiceUnavailable(await rejectionOf(withDeadline(never, TIMEOUT_MS, 'x')))).to.equal(true);
    });
  });
});
