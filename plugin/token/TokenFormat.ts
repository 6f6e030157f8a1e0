// CRC-32 (IEEE 802.3, the polynomial of zip/PNG and GitHub's token checksums) from Node's zlib
// (Node >= 20.15; package.json requires >= 20.19). A string is checksummed as its UTF-8 bytes.
import { crc32 } from 'node:zlib';
import { BITS_PER_BASE62_CHAR, encodeBase62, randomBase62 } from './base62';

/**
 * The API token format (documented in docs/token-format.md):
 *
 *   apitok_<publicId: 12 base62>_<secret: 28 base62><checksum: 6 base62>
 *
 * - `apitok_` is a fixed prefix, so secret scanners and the filter recognise a token;
 * - the public id names the token row (unique, indexed column) and is not secret;
 * - the secret carries 28 × log2(62) ≈ 166.7 bits from `crypto.randomBytes`;
 * - the checksum is the CRC-32 of everything before it, in base62, left-padded to 6.
 *
 * Only `[A-Za-z0-9_]` occurs, so a token needs no escaping in headers, Basic auth or URLs.
 */
export const TOKEN_PREFIX = 'apitok_';
export const PUBLIC_ID_LENGTH = 12;
export const SECRET_LENGTH = 28;
export const CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + PUBLIC_ID_LENGTH + 1 + SECRET_LENGTH + CHECKSUM_LENGTH;
/** Entropy of the secret part in bits. */
export const SECRET_ENTROPY_BITS = SECRET_LENGTH * BITS_PER_BASE62_CHAR;

/** For secret scanners (GitHub secret scanning, gitleaks, trufflehog): one token, word-bounded. */
export const TOKEN_SCANNER_PATTERN = '\\bapitok_[0-9A-Za-z]{12}_[0-9A-Za-z]{34}\\b';

/** A fresh global RegExp for {@link TOKEN_SCANNER_PATTERN} (fresh: a `g` regex carries `lastIndex`). */
export function tokenScannerRegex(): RegExp {
  return new RegExp(TOKEN_SCANNER_PATTERN, 'g');
}

/** A token, or what starts like one (any case): its public id when it has one, and the rest. */
const TOKEN_LIKE = /apitok_(?:([0-9A-Za-z]{12})_)?[0-9A-Za-z_]*/gi;

/**
 * `text` with everything that starts like a token cut after its public id (`apitok_<id>_…`, or
 * `apitok_…` without one): for values a client chose that are logged or audited, such as the
 * user name of a refused Basic header, where a token pasted into the wrong field would
 * otherwise be written down in full.
 */
export function redactTokens(text: string): string {
  if (!text.toLowerCase().includes(TOKEN_PREFIX)) return text;
  return text.replace(TOKEN_LIKE, (_match, publicId: string | undefined) => (publicId ? `${TOKEN_PREFIX}${publicId}_…` : `${TOKEN_PREFIX}…`));
}

const TOKEN_SHAPE = /^apitok_([0-9A-Za-z]{12})_([0-9A-Za-z]{28})([0-9A-Za-z]{6})$/;

/** A token split into its parts. Holds the secret: never log or serialise it. */
export interface ParsedToken {
  readonly publicId: string;
  readonly secret: string;
}

export type TokenParseResult =
  | { readonly kind: 'valid'; readonly token: ParsedToken }
  /** Has the token's shape but the checksum does not match: a typo or a forged value. */
  | { readonly kind: 'bad-checksum'; readonly publicId: string }
  /** Not a token at all (for Basic auth: a password). */
  | { readonly kind: 'not-a-token' };

/** The checksum of a token body (prefix, public id, separator and secret). */
export function tokenChecksum(body: string): string {
  return encodeBase62(crc32(body), CHECKSUM_LENGTH);
}

/** True when `value` has the token shape (prefix and lengths), whatever its checksum. */
export function looksLikeToken(value: string): boolean {
  return value.length === TOKEN_LENGTH && value.startsWith(TOKEN_PREFIX) && TOKEN_SHAPE.test(value);
}

/** Splits and checks a presented token without any database access. */
export function parseToken(value: string): TokenParseResult {
  if (value.length !== TOKEN_LENGTH || !value.startsWith(TOKEN_PREFIX)) return { kind: 'not-a-token' };
  const match = TOKEN_SHAPE.exec(value);
  if (!match) return { kind: 'not-a-token' };
  const body = value.slice(0, TOKEN_LENGTH - CHECKSUM_LENGTH);
  if (tokenChecksum(body) !== match[3]) return { kind: 'bad-checksum', publicId: match[1] };
  return { kind: 'valid', token: { publicId: match[1], secret: match[2] } };
}

/** Assembles the plain token from its parts. */
export function formatToken(publicId: string, secret: string): string {
  const body = `${TOKEN_PREFIX}${publicId}_${secret}`;
  return body + tokenChecksum(body);
}

/** A freshly generated token: its plain text (shown once) and its parts. */
export interface GeneratedToken {
  readonly plainText: string;
  readonly publicId: string;
  readonly secret: string;
}

/** Generates a new random token. */
export function generateToken(): GeneratedToken {
  const publicId = randomBase62(PUBLIC_ID_LENGTH);
  const secret = randomBase62(SECRET_LENGTH);
  return { plainText: formatToken(publicId, secret), publicId, secret };
}

/** The string id of the `/rest/api-tokens` API: `asp_` + 16 base62 characters. */
export function generateStringId(): string {
  return `asp_${randomBase62(16)}`;
}

export const STRING_ID_REGEX = /^asp_[0-9A-Za-z]{16}$/;
