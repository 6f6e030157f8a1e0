import { createHash } from 'node:crypto';
import type { PasswordEncoder } from './PasswordEncoder';

/** Entries kept at most; the memory is emptied when full (a test host meets a few dozen passwords). */
const MAX_ENTRIES = 10_000;

/**
 * For test hosts only (`startHost({ rememberPasswords: true })` of host-sim/testing; `npm start`
 * never uses it): wraps the real encoder and remembers what it computed, so that suites logging in
 * with a password on every request pay one PBKDF2 per password and stored hash, not one per
 * request (6 ms each on a small machine).
 *
 * The answers are the wrapped encoder's. Only a verified match is remembered: a wrong password is
 * checked in full every time, so failed-login counting, CAPTCHA and timing behave as in
 * production. `encode` gives the same hash for the same password within the process, which a
 * production host must not do (equal passwords would show as equal hashes).
 */
export class RememberingPasswordEncoder implements PasswordEncoder {
  private readonly encoded = new Map<string, Promise<string>>();
  private readonly verified = new Set<string>();

  constructor(private readonly inner: PasswordEncoder) {}

  encode(password: string): Promise<string> {
    const known = this.encoded.get(password);
    if (known) return known;
    if (this.encoded.size >= MAX_ENTRIES) this.encoded.clear();
    const made = this.inner.encode(password);
    this.encoded.set(password, made);
    made.catch(() => this.encoded.delete(password));
    return made;
  }

  async matches(password: string, encoded: string | null): Promise<boolean> {
    if (encoded === null) return this.inner.matches(password, encoded);
    // A digest, so the remembered set holds no password in clear.
    const key = createHash('sha256').update(encoded).update('\0').update(password).digest('base64');
    if (this.verified.has(key)) return true;
    const ok = await this.inner.matches(password, encoded);
    if (ok) {
      if (this.verified.size >= MAX_ENTRIES) this.verified.clear();
      this.verified.add(key);
    }
    return ok;
  }
}
