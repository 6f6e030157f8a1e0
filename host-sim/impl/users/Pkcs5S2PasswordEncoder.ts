// Atlassian's PKCS5S2 password hashes: `{PKCS5S2}` + base64(16-byte salt ‖ 32-byte
// PBKDF2-HMAC-SHA1 with 10,000 iterations). Async PBKDF2 keeps the event loop free.
import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { PasswordEncoder } from './PasswordEncoder';

const pbkdf2Async = promisify(pbkdf2);
const PREFIX = '{PKCS5S2}';
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const ITERATIONS = 10000;

export class Pkcs5S2PasswordEncoder implements PasswordEncoder {
  async encode(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await pbkdf2Async(password, salt, ITERATIONS, KEY_BYTES, 'sha1');
    return PREFIX + Buffer.concat([salt, key]).toString('base64');
  }

  /** Constant-time check; false for anything that is not a well-formed PKCS5S2 hash. */
  async matches(password: string, encoded: string | null): Promise<boolean> {
    const decoded = decode(encoded);
    // Without a usable hash, still pay one PBKDF2 so that timing does not reveal it.
    const salt = decoded ? decoded.subarray(0, SALT_BYTES) : Buffer.alloc(SALT_BYTES);
    const key = await pbkdf2Async(password, salt, ITERATIONS, KEY_BYTES, 'sha1');
    if (!decoded) return false;
    return timingSafeEqual(key, decoded.subarray(SALT_BYTES));
  }
}

function decode(encoded: string | null): Buffer | null {
  if (!encoded || !encoded.startsWith(PREFIX)) return null;
  const bytes = Buffer.from(encoded.slice(PREFIX.length), 'base64');
  return bytes.length === SALT_BYTES + KEY_BYTES ? bytes : null;
}
