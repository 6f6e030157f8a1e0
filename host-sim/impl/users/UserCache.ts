// Per-node cache of user rows and group memberships. Invalidations arrive over the cluster
// channel; a generation counter keeps a read that raced with an invalidation out of the cache.

/** A HOST_USER row as the services use it (credential included; never handed out). */
export interface UserRecord {
  readonly id: number;
  readonly key: string;
  readonly name: string;
  readonly lowerName: string;
  readonly displayName: string;
  readonly email: string;
  readonly active: boolean;
  readonly credential: string | null;
  readonly locale: string;
  readonly timeZone: string;
}

const MAX_ENTRIES = 50_000;

export class UserCache {
  private readonly byName = new Map<string, UserRecord | null>();
  private readonly byKey = new Map<string, UserRecord | null>();
  private readonly groups = new Map<string, readonly string[]>();
  private generation = 0;

  /** Call before reading the database; pass the result to the `put…` methods. */
  stamp(): number {
    return this.generation;
  }

  getByName(lowerName: string): UserRecord | null | undefined {
    return this.byName.get(lowerName);
  }

  getByKey(key: string): UserRecord | null | undefined {
    return this.byKey.get(key);
  }

  getGroups(key: string): readonly string[] | undefined {
    return this.groups.get(key);
  }

  putByName(stamp: number, lowerName: string, user: UserRecord | null): void {
    if (stamp !== this.generation) return;
    this.trim();
    this.byName.set(lowerName, user);
    if (user) this.byKey.set(user.key, user);
  }

  putByKey(stamp: number, key: string, user: UserRecord | null): void {
    if (stamp !== this.generation) return;
    this.trim();
    this.byKey.set(key, user);
    if (user) this.byName.set(user.lowerName, user);
  }

  putGroups(stamp: number, key: string, groups: readonly string[]): void {
    if (stamp !== this.generation) return;
    this.trim();
    this.groups.set(key, groups);
  }

  /** Forgets a user by key and/or lower-case name (`*` forgets everything). */
  invalidate(key: string | null, lowerName: string | null): void {
    this.generation++;
    if (key === '*' || lowerName === '*') {
      this.byName.clear();
      this.byKey.clear();
      this.groups.clear();
      return;
    }
    if (key !== null) {
      const cached = this.byKey.get(key);
      if (cached) this.byName.delete(cached.lowerName);
      this.byKey.delete(key);
      this.groups.delete(key);
    }
    if (lowerName !== null) {
      const cached = this.byName.get(lowerName);
      if (cached) {
        this.byKey.delete(cached.key);
        this.groups.delete(cached.key);
      }
      this.byName.delete(lowerName);
    }
  }

  private trim(): void {
    if (this.byName.size + this.byKey.size + this.groups.size > MAX_ENTRIES) {
      this.byName.clear();
      this.byKey.clear();
      this.groups.clear();
    }
  }
}
