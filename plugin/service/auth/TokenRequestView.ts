import type { IncomingHttpHeaders } from 'node:http';
import type { CanonicalTarget } from './RequestTarget';

/** A token as presented, after the Authorization header was read (by the passport strategies). */
export type PresentedCredential =
  /** Basic `user:password` whose password does not look like a token. */
  | { readonly kind: 'password'; readonly userName: string }
  /** A credential that looks like a token (prefix and length); decided by the plugin alone. */
  | { readonly kind: 'token'; readonly scheme: 'basic' | 'bearer'; readonly token: string; readonly claimedUser: string | null }
  /** A Bearer or Basic header the strategies could not read. */
  | { readonly kind: 'malformed'; readonly scheme: 'basic' | 'bearer' };

/** The methods that change nothing: what a read-only token may use, and what is never a change with a body. */
export const READING_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The outcome of reading the JSON body for restriction rules. */
export type BodyOutcome = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly reason: 'TOO_LARGE' };

/**
 * What the token-authentication service sees of a request: built once per request by the filter,
 * from the same values routing and the resources use — never re-derived from raw strings elsewhere.
 */
export interface TokenRequestView {
  readonly method: string;
  /** The request target read once by `canonicalTarget` (or why it cannot be read one way only). */
  readonly target: CanonicalTarget;
  /** The parsed query, as resources see it (read lazily: most requests never need it). */
  query(): Readonly<Record<string, string | string[] | undefined>>;
  readonly headers: IncomingHttpHeaders;
  /** The client IP as the host determined it (trusted proxies honoured). */
  readonly ip: string;
  /** Reads the JSON body once (for body rules); the host's parser then reuses it. */
  readBody(): Promise<BodyOutcome>;
  /**
   * A change (not GET, HEAD, OPTIONS) with a JSON body, which the host would read after the
   * filter: a token request is then decided once the body has arrived.
   */
  readonly changeWithBody: boolean;
}
