/**
 * The `Authorization` header as the host reads it. The host's own login (Seraph) and every
 * plugin filter that authenticates before it read the header through {@link readAuthorization}
 * only, so the two can never disagree on what a header is: a filter that saw no Basic header
 * where the login then checked a password would let that password past the filter's rules.
 */
export type AuthorizationHeader =
  /** `credentials` is null when the header is Basic but not well formed (the login refuses it). */
  | { readonly scheme: 'basic'; readonly credentials: BasicCredentials | null }
  /** `token` is null when the header is Bearer but not well formed. */
  | { readonly scheme: 'bearer'; readonly token: string | null }
  /** Any other scheme, or a first word that is not a scheme name: neither side acts on it. */
  | { readonly scheme: 'other' };

/** User name and password of a Basic header, split at the first colon (RFC 7617 allows colons in the password). */
export interface BasicCredentials {
  readonly userName: string;
  readonly password: string;
}

/** Longer headers are not read (their credentials are null). */
const MAX_HEADER = 8192;
/**
 * RFC 7235: the scheme, one or more spaces, a token68, optional trailing spaces. Only the space
 * (0x20) separates: a tab, a no-break space (0xA0) or any other character makes the header
 * malformed, whatever the scheme.
 */
const WELL_FORMED = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +([A-Za-z0-9\-._~+/]+=*) *$/;
/** The scheme of a header that is not well formed: everything up to the first whitespace of any kind. */
const FIRST_WORD = /^\S*/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** Padded base64 of the standard alphabet (RFC 4648 §4), as browsers, curl and HTTP libraries send it. */
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** A character outside ASCII: in a binary string, a byte that starts or continues a UTF-8 sequence. */
const NON_ASCII = /[^\x00-\x7f]/;
const OTHER: AuthorizationHeader = Object.freeze({ scheme: 'other' });
const MALFORMED_BASIC: AuthorizationHeader = Object.freeze({ scheme: 'basic', credentials: null });
const MALFORMED_BEARER: AuthorizationHeader = Object.freeze({ scheme: 'bearer', token: null });

/**
 * Reads an `Authorization` header value: null when there is none. The scheme is compared
 * case-insensitively and is taken from the first word even when the rest is malformed, so
 * `Basic<TAB>…` is a malformed Basic header (refused), never "no credentials".
 */
export function readAuthorization(header: string | undefined): AuthorizationHeader | null {
  if (header === undefined || header === '') return null;
  const match = header.length <= MAX_HEADER ? WELL_FORMED.exec(header) : null;
  const scheme = (match ? match[1] : FIRST_WORD.exec(header)![0]).toLowerCase();
  if (scheme === 'bearer') return match ? { scheme: 'bearer', token: match[2] } : MALFORMED_BEARER;
  if (scheme !== 'basic') return OTHER;
  if (!match) return MALFORMED_BASIC;
  const decoded = decodeBase64Utf8(match[2]);
  if (decoded === null) return MALFORMED_BASIC;
  const colon = decoded.indexOf(':');
  if (colon <= 0) return MALFORMED_BASIC;
  return { scheme: 'basic', credentials: { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) } };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text these bytes spell in UTF-8, or null when they are not UTF-8 — never a replacement
 * character: Latin-1 user names (Python's requests sends them) such as `josé` and `josè` would
 * otherwise both name the user called `jos\ufffd` (identity review, 2026-12-05). A leading
 * byte-order mark is kept as a character.
 */
export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The UTF-8 text a Basic header's base64 encodes, or null when it is not base64 or not UTF-8.
 * Both alphabets (standard and URL-safe), with or without padding, decode as Buffer decodes them
 * (a leading byte-order mark kept as a character). The usual
 * case — standard, padded, ASCII — goes through `atob`, whose binary string is then the text
 * itself: ~0.1 µs against ~0.3 µs for a Buffer and its UTF-8 decoding, on every request with a
 * Basic header (bench/README.md). For such input both decoders give the same bytes
 * (test/unit/host/readAuthorization.test.ts compares them).
 */
function decodeBase64Utf8(value: string): string | null {
  if (value.length % 4 === 0 && STANDARD_BASE64.test(value)) {
    const binary = atob(value);
    if (!NON_ASCII.test(binary)) return binary;
  } else if (!BASE64.test(value)) {
    return null;
  }
  return strictUtf8(Buffer.from(value, 'base64'));
}
