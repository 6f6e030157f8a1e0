import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Length of the per-token salt (the HMAC key) in bytes. */
export const SALT_BYTES = 32;

/** A fresh random per-token salt. */
export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

/**
 * HMAC-SHA-256 keyed with the per-token salt over `publicId:secret`. The secret is 166 random
 * bits, so a fast keyed hash is right (no slow KDF on the hot path); binding the public id
 * stops a hash from being moved to another row.
 */
export function hashSecret(salt: Buffer, publicId: string, secret: string): Buffer {
  return createHmac('sha256', salt).update(publicId).update(':').update(secret).digest();
}

/** Constant-time comparison of a presented secret against the stored hash. */
export function secretMatches(salt: Buffer, storedHash: Buffer, publicId: string, secret: string): boolean {
  const computed = hashSecret(salt, publicId, secret);
  return computed.length === storedHash.length && timingSafeEqual(computed, storedHash);
}
