import { inspect } from 'node:util';

/** Token scope: 0 legacy (treated as read/write), 1 read-only, 2 read/write. */
export type TokenScope = 0 | 1 | 2;

export const SCOPE_LEGACY: TokenScope = 0;
export const SCOPE_READ_ONLY: TokenScope = 1;
export const SCOPE_READ_WRITE: TokenScope = 2;

/** A stored token as the rest of the plugin sees it: no salt, no hash. Immutable. */
export interface Token {
  readonly id: number;
  readonly stringId: string;
  readonly publicId: string;
  /** Null for a user-less token. */
  readonly userKey: string | null;
  readonly description: string;
  readonly created: number;
  readonly createdBy: string;
  readonly validUntil: number;
  readonly scope: TokenScope;
  /** 0 = never. */
  readonly lastAccessed: number;
  readonly lastIp: string | null;
  readonly useCount: number;
  /** JSON text of the restrictions; null = none. */
  readonly restrictions: string | null;
  readonly notificationState: string | null;
  readonly knownIps: string | null;
  readonly version: number;
  /**
   * An admin "sudo" token: with `X-Atlassian-Run-As` it may run a request as another user
   * (docs/api.md). Only system admins create them, never restricted.
   */
  readonly sudo: boolean;
  /**
   * The token through which the current secret was issued (created or regenerated through it);
   * null: by a password or a session. Deleting or revoking that token deletes this one too.
   */
  readonly issuedVia: number | null;
}

/**
 * The token-use audit sampler's note on one cached credential: the client IP and the time of its
 * last audited use. The sampler reads it from the credential the request already holds, so a
 * token used again from the same IP within the hour costs no lookup in the sampler's maps, which
 * hold every active token (with many tokens in use, each such lookup misses the CPU's caches).
 * A shortcut kept per node and per credential object; the sampler's maps stay its record.
 */
export interface AuditNote {
  /** The sampler that wrote the note (its times count from its own start); null: none yet. */
  auditNotedBy: object | null;
  auditedIp: string;
  /** In the noting sampler's seconds. */
  auditedAt: number;
}

/**
 * The token cache's own mark on a credential it holds: when the entry stops being used and the
 * row is read again (its age limit). Kept on the credential, which every hit reads anyway, rather
 * than in the cache library's per-entry arrays, which a hit would touch besides.
 */
export interface CacheNote {
  /** On the noting cache's clock (whole ms); 0: not cached. */
  cachedUntil: number;
}

/**
 * What the authenticator needs to check a presented secret. Made only by the token store and
 * used only by the verifier: its salt and hash refuse to be serialised or inspected. Both are
 * kept as the lower-case hex the row holds, which is what the per-request hash reads: no
 * Buffer per request (see SecretHasher).
 */
export class TokenCredential implements AuditNote, CacheNote {
  auditNotedBy: object | null = null;
  auditedIp = '';
  auditedAt = 0;
  cachedUntil = 0;
  readonly #saltHex: string;
  readonly #hashHex: string;
  #logIds: string | undefined;
  readonly #createdBy: string;

  constructor(
    readonly tokenId: number,
    readonly publicId: string,
    readonly userKey: string | null,
    readonly description: string,
    readonly validUntil: number,
    readonly scope: TokenScope,
    readonly restrictions: string | null,
    readonly version: number,
    saltHex: string,
    hashHex: string,
    /** {@link Token.sudo}. */
    readonly sudo: boolean = false,
    /** {@link Token.stringId}, the `asp_…` id of `/rest/api-tokens` ('' when unknown). */
    readonly stringId: string = '',
    /** {@link Token.knownIps} as the row held it when read: the new-IP watch skips the IPs it lists. */
    readonly knownIps: string | null = null,
    createdBy = '',
  ) {
    this.#createdBy = createdBy;
    this.#saltHex = saltHex.toLowerCase();
    this.#hashHex = hashHex.toLowerCase();
  }

  get saltHex(): string { return this.#saltHex; }
  get hashHex(): string { return this.#hashHex; }
  /** {@link Token.createdBy} ('' when unknown): a user-less token works only while its creator is an active system admin. */
  get createdBy(): string { return this.#createdBy; }

  /**
   * `(<id>) (<asp_ id>)`: both ids for the success log line, so that a line can be matched to
   * either API. Built on first use and kept (the credential is cached, the line is per request).
   */
  get logIds(): string {
    this.#logIds ??= this.stringId ? `(${this.tokenId}) (${this.stringId})` : `(${this.tokenId})`;
    return this.#logIds;
  }

  toJSON(): Record<string, unknown> {
    return { tokenId: this.tokenId, publicId: this.publicId, userKey: this.userKey };
  }

  [inspect.custom](): string {
    return `TokenCredential(${this.tokenId})`;
  }
}

/**
 * A secret a token had before a regeneration through a token (RetiredSecretEntity), for the
 * revocation API and the lookup only: it never authenticates. Like {@link TokenCredential}, its
 * salt and hash refuse to be serialised or inspected.
 */
export class RetiredCredential {
  readonly #saltHex: string;
  readonly #hashHex: string;

  constructor(
    /** The token it belonged to, as it is now. */
    readonly tokenId: number,
    /** The public id the token had with this secret. */
    readonly publicId: string,
    saltHex: string,
    hashHex: string,
  ) {
    this.#saltHex = saltHex.toLowerCase();
    this.#hashHex = hashHex.toLowerCase();
  }

  get saltHex(): string { return this.#saltHex; }
  get hashHex(): string { return this.#hashHex; }

  toJSON(): Record<string, unknown> {
    return { tokenId: this.tokenId, publicId: this.publicId };
  }

  [inspect.custom](): string {
    return `RetiredCredential(${this.tokenId})`;
  }
}
