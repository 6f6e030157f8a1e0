import type { TokenCredential } from '../ao/Token';
import type { TokenStore } from '../ao/TokenStore';
import type { Invalidation, InvalidationBus } from './InvalidationBus';

export const DEFAULT_TOKEN_CACHE_SIZE = 50000;

/**
 * This node's cache of token credentials by public id, so that the hot path needs no database
 * round trip. Entries are dropped at once on this node and, through the invalidation bus,
 * within a second on every other node. Expiry is not cached: the credential carries
 * `validUntil`, which the authenticator compares with the clock on every request.
 */
export class TokenCache {
  private readonly entries = new Map<string, TokenCredential>();
  /** Bumped on every invalidation: a load that started before one is not stored after it. */
  private generation = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: TokenStore,
    bus: InvalidationBus,
    private readonly maxEntries: number = DEFAULT_TOKEN_CACHE_SIZE,
  ) {
    this.unsubscribe = bus.subscribe((inv) => this.apply(inv));
  }

  /** A cached credential, without waiting (undefined when it must be looked up). */
  peek(publicId: string): TokenCredential | undefined {
    return this.entries.get(publicId);
  }

  async lookup(publicId: string): Promise<TokenCredential | null> {
    const hit = this.entries.get(publicId);
    if (hit) return hit;
    const generation = this.generation;
    const credential = await this.store.findCredential(publicId);
    if (credential && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      this.entries.set(publicId, credential);
    }
    return credential;
  }

  get size(): number {
    return this.entries.size;
  }

  apply(invalidation: Invalidation): void {
    this.generation++;
    switch (invalidation.kind) {
      case 'tokens':
        for (const id of invalidation.publicIds) this.entries.delete(id);
        break;
      case 'user':
        for (const [id, credential] of this.entries) if (credential.userKey === invalidation.userKey) this.entries.delete(id);
        break;
      case 'all':
        this.entries.clear();
        break;
      case 'settings':
        break;
    }
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }
}
