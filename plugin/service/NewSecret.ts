import { generateToken } from '../token/TokenFormat';
import { hashSecret, newSalt } from '../token/SecretHasher';

/** A freshly generated token secret with what the row stores of it (public id, salt, hash). */
export interface NewSecret {
  readonly publicId: string;
  /** The whole token, shown to the caller once and never stored. */
  readonly plainText: string;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** Generates a token and hashes its secret with a new salt: what create and regenerate store. */
export function newSecret(): NewSecret {
  const generated = generateToken();
  const salt = newSalt();
  return { publicId: generated.publicId, plainText: generated.plainText, salt, hash: hashSecret(salt, generated.publicId, generated.secret) };
}

/** The description of a token created without one: the day of creation in the owner's time zone. */
export function defaultDescription(now: number, timeZone: string): string {
  let day: string;
  try {
    day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    day = new Date(now).toISOString().slice(0, 10);
  }
  return `API Token from ${day}`;
}
