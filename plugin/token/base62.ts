import { randomBytes } from 'node:crypto';

/** The base62 alphabet: digits, upper case, lower case (the order GitHub's token checksums use). */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Bits of entropy carried by one uniformly random base62 character (log2 62). */
export const BITS_PER_BASE62_CHAR = Math.log2(62);

/** Encodes a non-negative integer (below 2^53) in base62, left-padded with `0` to `width`. */
export function encodeBase62(value: number, width: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('base62 input must be a non-negative safe integer');
  let out = '';
  let rest = value;
  do {
    out = BASE62_ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  if (out.length > width) throw new RangeError(`value does not fit in ${width} base62 characters`);
  return out.padStart(width, '0');
}

/**
 * `length` uniformly random base62 characters from `crypto.randomBytes`. Bytes ≥ 248 are
 * rejected so that `byte % 62` carries no modulo bias (248 = 4 × 62).
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const bytes = randomBytes(Math.ceil((length - out.length) * 1.1) + 4);
    for (const byte of bytes) {
      if (byte >= 248) continue;
      out += BASE62_ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}
