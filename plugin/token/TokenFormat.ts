import { BASE62_ALPHABET, BITS_PER_BASE62_CHAR, encodeBase62, randomBase62 } from './base62';
import { CRC32_INITIAL, crc32Ascii, crc32Final, crc32Step } from './crc32';

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

/** A public id followed by a whole secret: the checksum may be missing, the secret is there. */
const SECRET_IN_TEXT = /apitok_[0-9A-Za-z]{12}_[0-9A-Za-z]{28}/i;
/** A token without its prefix, standing alone (a prefix cut off when pasted). */
const BARE_TOKEN_IN_TEXT = /(?<![0-9A-Za-z_])[0-9A-Za-z]{12}_[0-9A-Za-z]{34}(?![0-9A-Za-z_])/g;

/**
 * True when `text` holds a token's secret (a token pasted where free text goes): after the
 * prefix, or without it when the checksum holds (text of that shape whose CRC matches by chance:
 * one in 62⁶).
 */
export function holdsTokenSecret(text: string): boolean {
  if (SECRET_IN_TEXT.test(text)) return true;
  if (text.length < TOKEN_LENGTH - TOKEN_PREFIX.length || !text.includes('_')) return false;
  for (const m of text.matchAll(BARE_TOKEN_IN_TEXT)) {
    if (parseToken(`${TOKEN_PREFIX}${m[0]}`).kind === 'valid') return true;
  }
  return false;
}

const ESCAPE = /%([0-9a-f]{2})/gi;
const PUBLIC_ID_IN_TEXT = /apitok_([0-9A-Za-z]{12})_/i;

/**
 * A request path for a log line or audit event: each segment that holds something starting like
 * a token, in any case and percent-encoding (each `%XX` read as one byte, up to three rounds, so
 * `%255F` counts as `_`), is replaced by `apitok_<public id>_…` (or `apitok_…`). The rest of such
 * a segment goes too: nothing tells where the token ends.
 */
export function redactTokensInPath(path: string): string {
  const lower = path.toLowerCase();
  if (!lower.includes('%') && !lower.includes(TOKEN_PREFIX)) return path;
  return path.split('/').map((segment) => {
    let text = segment;
    for (let i = 0; i < 3 && text.includes('%'); i++) text = text.replace(ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (!text.toLowerCase().includes(TOKEN_PREFIX)) return segment;
    const publicId = PUBLIC_ID_IN_TEXT.exec(text)?.[1];
    return publicId ? `${TOKEN_PREFIX}${publicId}_…` : `${TOKEN_PREFIX}…`;
  }).join('/');
}

const TOKEN_SHAPE = /^apitok_([0-9A-Za-z]{12})_([0-9A-Za-z]{28})([0-9A-Za-z]{6})$/;
const PUBLIC_ID_START = TOKEN_PREFIX.length;
const SEPARATOR_AT = PUBLIC_ID_START + PUBLIC_ID_LENGTH;
const CHECKSUM_START = TOKEN_LENGTH - CHECKSUM_LENGTH;
const UNDERSCORE = 0x5f;
/** Base62 digit value by character code (ASCII), -1 for anything else. */
const DIGIT = (() => {
  const digits = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE62_ALPHABET.length; i++) digits[BASE62_ALPHABET.charCodeAt(i)] = i;
  return digits;
})();

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

const NOT_A_TOKEN: TokenParseResult = Object.freeze({ kind: 'not-a-token' });

/** The checksum of a token body (prefix, public id, separator and secret). */
export function tokenChecksum(body: string): string {
  return encodeBase62(crc32Ascii(body), CHECKSUM_LENGTH);
}

/** True when `value` has the token shape (prefix and lengths), whatever its checksum. */
export function looksLikeToken(value: string): boolean {
  return value.length === TOKEN_LENGTH && value.startsWith(TOKEN_PREFIX) && TOKEN_SHAPE.test(value);
}

/** A base62 digit's value, or -1 when `code` is not one. */
function digitOf(code: number): number {
  return code < 0x80 ? DIGIT[code] : -1;
}

/**
 * Splits and checks a presented token without any database access. On every token request:
 * the shape is checked and the checksum computed in one pass over the characters, and the
 * presented checksum is compared as the number it encodes (fixed-width base62 is one-to-one),
 * so nothing is allocated but the parts. Accepts exactly what {@link TOKEN_SHAPE} matches.
 */
export function parseToken(value: string): TokenParseResult {
  if (value.length !== TOKEN_LENGTH || !value.startsWith(TOKEN_PREFIX)) return NOT_A_TOKEN;
  let crc = CRC32_INITIAL;
  for (let i = 0; i < PUBLIC_ID_START; i++) crc = crc32Step(crc, value.charCodeAt(i));
  for (let i = PUBLIC_ID_START; i < CHECKSUM_START; i++) {
    const code = value.charCodeAt(i);
    if (i === SEPARATOR_AT ? code !== UNDERSCORE : digitOf(code) < 0) return NOT_A_TOKEN;
    crc = crc32Step(crc, code);
  }
  let presented = 0;
  for (let i = CHECKSUM_START; i < TOKEN_LENGTH; i++) {
    const digit = digitOf(value.charCodeAt(i));
    if (digit < 0) return NOT_A_TOKEN;
    presented = presented * 62 + digit;
  }
  const publicId = value.slice(PUBLIC_ID_START, SEPARATOR_AT);
  if (presented !== crc32Final(crc)) return { kind: 'bad-checksum', publicId };
  return { kind: 'valid', token: { publicId, secret: value.slice(SEPARATOR_AT + 1, CHECKSUM_START) } };
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
