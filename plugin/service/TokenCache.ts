import { LRUCache } from 'lru-cache';
import type { TokenCredential } from '../ao/Token';
import type { TokenStore } from '../ao/TokenStore';
import { DEFAULT_CACHE_MAX_AGE_MS, type Invalidation, type InvalidationBus } from './InvalidationBus';
import { DEFAULT_DATABASE_TIMEOUT_MS, withDeadline } from './Deadline';

/** Default memory budget of the credential cache (system property `apitokenauth.tokenCache.maxMiB`). */
export const DEFAULT_TOKEN_CACHE_BYTES = 256 * 1024 * 1024;
/** Default number of remembered unknown public ids (system property `apitokenauth.tokenCache.maxUnknown`). */
export const DEFAULT_UNKNOWN_IDS = 100_000;
/** Each entry's age limit is drawn between this share of the limit and the limit, so that entries cached together are not all read again together. */
const MIN_AGE_SHARE = 0.8;
/** Most public ids read by one statement of a batched lookup. */
const MAX_BATCH_READ = 100;
/** Batched reads under way at once; later misses wait for one to finish and go in the next. */
const MAX_READS_IN_FLIGHT = 2;

/** A lookup waiting for its public id's row. */
interface Waiter {
  resolve(credential: TokenCredential | null): void;
  reject(err: unknown): void;
}

export interface TokenCacheOptions {
  /** Memory budget of the cached credentials in bytes (estimated per entry, see {@link credentialBytes}). */
  readonly maxBytes?: number;
  /** How many well-formed public ids without a row are remembered (LRU). */
  readonly maxUnknown?: number;
  /**
   * The longest an entry (a credential, or an id without a row) is used before its row is read
   * again. Invalidations normally drop entries within a second; this bounds the case where one
   * is lost — committed, the change log unreachable, and the node that made the change stopped
   * before it could write it again.
   */
  readonly maxAgeMs?: number;
  /** Milliseconds of a monotonic clock (tests); default `performance.now`. */
  readonly now?: () => number;
  /**
   * How long a batched read may go unanswered before its lookups are refused (503) and its place
   * among the {@link MAX_READS_IN_FLIGHT} is given to the next misses; its late answer is not kept.
   * A read on a stalled connection would otherwise hold the place for as long as the connection
   * lives — after the database is back too — and every uncached token would wait behind it.
   * Default {@link DEFAULT_DATABASE_TIMEOUT_MS}.
   */
  readonly readTimeoutMs?: number;
}

/**
 * Heap bytes of one cached credential, estimated from its parts: a fixed part for the credential
 * object with its private fields, audit note and cache note (the entry's age limit) and the
 * cache's bookkeeping per entry (Map slot, index and linked-list arrays; the key is the
 * credential's own public id string), plus the strings it holds (header + one byte per character; two for
 * non-Latin-1 text). Calibrated against `process.memoryUsage().heapUsed` over 100,000 entries
 * (bench/micro/tokenCacheMemory.ts, bench/README.md): the estimate stays a little above what is
 * measured.
 */
export const ENTRY_OVERHEAD_BYTES = 258;
const STRING_HEADER_BYTES = 16;

function stringBytes(s: string | null): number {
  if (s === null) return 0;
  let perChar = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) { perChar = 2; break; }
  return STRING_HEADER_BYTES + s.length * perChar;
}

export function credentialBytes(c: TokenCredential): number {
  return ENTRY_OVERHEAD_BYTES + stringBytes(c.publicId) + stringBytes(c.userKey) + stringBytes(c.description)
    + stringBytes(c.restrictions) + stringBytes(c.saltHex) + stringBytes(c.hashHex) + stringBytes(c.stringId) + stringBytes(c.knownIps)
    + (c.secretHolder === '' ? 0 : stringBytes(c.secretHolder)) + (c.auditedIp === '' ? 0 : stringBytes(c.auditedIp));
}

/**
 * This node's cache of token credentials by public id, so that the hot path needs no database
 * round trip: least-recently-used (a hit refreshes an entry) within a memory budget. Beside it,
 * a bounded set of public ids that have no row ("negative cache"), so that a client repeating a
 * well-formed but unknown token costs one read per id, not one per request.
 *
 * Entries are dropped at once on this node and, through the invalidation bus, within a second
 * on every other node; a created or rotated token's public id is published the same way, which
 * also drops it from the unknown ids. An entry older than its age limit (at most
 * {@link TokenCacheOptions.maxAgeMs}) is read again, so a lost invalidation is outlived. Expiry is
 * not cached: the credential carries `validUntil`, which the authenticator compares with the
 * clock on every request.
 */
export class TokenCache {
  private readonly entries: LRUCache<string, TokenCredential>;
  private readonly unknown: LRUCache<string, true>;
  /** One read per public id at a time: concurrent misses share it. */
  private readonly loading = new Map<string, Promise<TokenCredential | null>>();
  /**
   * Public ids to read together with the next statement (see {@link read}), each with every
   * lookup waiting for it: after an invalidation a second load of an id may join the batch the
   * first one waits in, and both must be answered.
   */
  private batch: Map<string, Waiter[]> | null = null;
  private batchScheduled = false;
  private readsInFlight = 0;
  /** Bumped on every invalidation: a load that started before one is not stored after it. */
  private generation = 0;
  private readonly unsubscribe: () => void;

  private readonly maxAgeMs: number;
  private readonly readTimeoutMs: number;
  private readonly now: () => number;
  /** How long a clock reading is reused (ms; 0: read every time). */
  private readonly clockResolutionMs: number;
  /** The last clock reading while it is reused; undefined: read the clock. */
  private clockReading: number | undefined;

  constructor(private readonly store: TokenStore, bus: InvalidationBus, options: TokenCacheOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS;
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS;
    this.now = options.now ?? (() => performance.now());
    // The clock is read at most once per resolution (a timer each time; ages are minutes), so a
    // hit costs no clock read, as lru-cache does for its TTLs. A test's clock is read every time.
    this.clockResolutionMs = options.now ? 0 : Math.max(1, Math.min(1000, Math.floor(this.maxAgeMs / 100)));
    // The credentials' age limits are kept on the credentials (CacheNote): a hit then reads the
    // library's key map, value slot and list links only, not two more per-entry arrays of its TTL
    // bookkeeping — each a memory read of its own when many tokens are in use.
    this.entries = new LRUCache<string, TokenCredential>({
      maxSize: options.maxBytes ?? DEFAULT_TOKEN_CACHE_BYTES,
      sizeCalculation: credentialBytes,
    });
    this.unknown = new LRUCache<string, true>({
      max: options.maxUnknown ?? DEFAULT_UNKNOWN_IDS,
      ttl: this.maxAgeMs,
      ttlResolution: this.clockResolutionMs,
      ...(options.now ? { perf: { now: options.now } } : {}),
    });
    this.unsubscribe = bus.subscribe((inv) => this.apply(inv));
  }

  /** A cached credential, without waiting (undefined when it must be looked up). A hit refreshes it. */
  peek(publicId: string): TokenCredential | undefined {
    const hit = this.entries.get(publicId);
    if (hit === undefined || this.clock() < hit.cachedUntil) return hit;
    this.entries.delete(publicId);
    return undefined;
  }

  /** True when this public id was looked up and has no row (and nothing was created for it since). */
  isKnownUnknown(publicId: string): boolean {
    return this.unknown.get(publicId) === true;
  }

  lookup(publicId: string): Promise<TokenCredential | null> {
    const hit = this.peek(publicId);
    if (hit) return Promise.resolve(hit);
    if (this.unknown.get(publicId)) return Promise.resolve(null);
    const inFlight = this.loading.get(publicId);
    if (inFlight) return inFlight;
    const load = this.load(publicId);
    this.loading.set(publicId, load);
    return load;
  }

  private async load(publicId: string): Promise<TokenCredential | null> {
    const generation = this.generation;
    try {
      const credential = await this.read(publicId);
      if (generation === this.generation) {
        // Keyed by the row's own string: the presented id may be a slice of a whole header.
        if (credential) {
          credential.cachedUntil = Math.ceil(this.clock()) + this.entryAge();
          this.entries.set(credential.publicId, credential);
        } else this.unknown.set(publicId, true, { ttl: this.entryAge() });
      }
      return credential;
    } finally {
      if (generation === this.generation) this.loading.delete(publicId);
    }
  }

  /**
   * One public id's row, read together with the other misses: a node starting under load (or a
   * client rotating through many tokens) misses for many requests at once. The misses of one turn
   * of the event loop go in one `IN (…)` statement; while two such reads are under way, further
   * misses collect until one returns — so the batches grow with the database's round trip
   * instead of the pool carrying a statement for every turn.
   */
  private read(publicId: string): Promise<TokenCredential | null> {
    return new Promise((resolve, reject) => {
      if (this.batch === null) this.batch = new Map();
      const waiters = this.batch.get(publicId);
      if (waiters) waiters.push({ resolve, reject });
      else this.batch.set(publicId, [{ resolve, reject }]);
      this.scheduleBatch();
    });
  }

  private scheduleBatch(): void {
    if (this.batchScheduled || this.batch === null || this.readsInFlight >= MAX_READS_IN_FLIGHT) return;
    this.batchScheduled = true;
    setImmediate(() => this.readBatch());
  }

  private readBatch(): void {
    this.batchScheduled = false;
    const batch = this.batch;
    this.batch = null;
    if (batch === null) return;
    const ids = [...batch.keys()];
    for (let i = 0; i < ids.length; i += MAX_BATCH_READ) {
      const chunk = ids.slice(i, i + MAX_BATCH_READ);
      this.readsInFlight++;
      const found = chunk.length === 1
        ? this.store.findCredential(chunk[0]).then((c) => (c ? [c] : []))
        : this.store.findCredentials(chunk);
      // Settled once, by the read or by the deadline: a late answer then changes nothing (its
      // waiters are rejected already, and only a resolved lookup is cached), and the place is free.
      withDeadline(found, this.readTimeoutMs, 'A token credential read').then((credentials) => {
        const byId = new Map(credentials.map((c) => [c.publicId, c]));
        for (const id of chunk) for (const waiter of batch.get(id) ?? []) waiter.resolve(byId.get(id) ?? null);
      }, (err: unknown) => {
        for (const id of chunk) for (const waiter of batch.get(id) ?? []) waiter.reject(err);
      }).finally(() => {
        this.readsInFlight--;
        this.scheduleBatch();
      });
    }
  }

  private clock(): number {
    if (this.clockReading !== undefined) return this.clockReading;
    const now = this.now();
    if (this.clockResolutionMs > 0) {
      this.clockReading = now;
      setTimeout(() => { this.clockReading = undefined; }, this.clockResolutionMs).unref();
    }
    return now;
  }

  private entryAge(): number {
    return Math.max(1, Math.round(this.maxAgeMs * (MIN_AGE_SHARE + (1 - MIN_AGE_SHARE) * Math.random())));
  }

  /** Cached credentials. */
  get size(): number {
    return this.entries.size;
  }

  /** Remembered unknown public ids. */
  get unknownSize(): number {
    return this.unknown.size;
  }

  /** Estimated heap bytes of the cached credentials. */
  get bytes(): number {
    return this.entries.calculatedSize;
  }

  apply(invalidation: Invalidation): void {
    this.generation++;
    // Loads in flight may return what the invalidation replaced: later lookups read again.
    this.loading.clear();
    switch (invalidation.kind) {
      case 'tokens':
        for (const id of invalidation.publicIds) {
          this.entries.delete(id);
          this.unknown.delete(id);
        }
        break;
      case 'user': {
        const ids: string[] = [];
        for (const [id, credential] of this.entries.entries()) if (credential.userKey === invalidation.userKey) ids.push(id);
        for (const id of ids) this.entries.delete(id);
        break;
      }
      case 'all':
        this.entries.clear();
        this.unknown.clear();
        break;
      case 'settings':
        break;
    }
  }

  close(): void {
    this.unsubscribe();
    // No invalidation reaches a closed cache: a read still under way must not store its row.
    this.generation++;
    this.entries.clear();
    this.unknown.clear();
    this.loading.clear();
  }
}
