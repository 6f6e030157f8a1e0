// Login sessions in HOST_SESSION, so a session cookie works on every node. The last-used time
// is written at most once a minute per session, not on every request. The table keeps the
// SHA-256 of each session id, never the id: the cookie signs its holder in, and whoever reads the
// database (a backup, a dump, a readable SQLite file) must not be able to (HostUpgradeTask008).
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'winston';
import type { Clock } from '../../spi/Clock';
import type { Database } from '../db/Database';
import type { SessionStore } from '../HostRuntime';

const TOUCH_EVERY_MS = 60_000;
/** How often a node deletes the sessions idle past the timeout (at a login, at most this often). */
const SWEEP_EVERY_MS = 60_000;
/** Sessions idle for longer than this are gone (Jira's default is hours; a dev host is kinder). */
export const SESSION_IDLE_TIMEOUT_MS = 7 * 24 * 60 * 60_000;
/**
 * A session ends this long after its login however often it is used (as Jira's remember-me
 * cookie does after 14 days): a stolen cookie kept busy does not sign its holder in for ever.
 */
export const SESSION_MAX_AGE_MS = 14 * 24 * 60 * 60_000;
/**
 * How far a session's login may lie ahead of this node's clock (nodes' clocks differ a little).
 * Further ahead, it was signed in while a clock was moved forward (the dev toolbox, or a dev-mode
 * node of the cluster) and would otherwise outlive its limit by as much, in real time.
 */
const MAX_CREATED_AHEAD_MS = 60 * 60_000;

/** A session id as {@link DefaultSessionStore.create} makes them: 32 random bytes in hex. */
const SESSION_ID = /^[0-9a-f]{64}$/;
/** Session ids one deletion statement names at most. */
const DESTROY_CHUNK = 100;

/** What HOST_SESSION.SESSION_ID holds for a session id: its SHA-256, 64 hex digits. */
export function storedSessionKey(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

export class DefaultSessionStore implements SessionStore {
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly db: Database, private readonly clock: Clock, private readonly logger: Logger) {}

  async create(userKey: string): Promise<string> {
    const id = randomBytes(32).toString('hex');
    const now = this.clock.now();
    await this.sweep(now);
    await this.db.execute(
      'INSERT INTO HOST_SESSION (SESSION_ID, USER_KEY, XSRF_TOKEN, CREATED, LAST_USED) VALUES (?, ?, ?, ?, ?)',
      [storedSessionKey(id), userKey, randomBytes(20).toString('hex'), now, now]);
    return id;
  }

  async get(sessionId: string): Promise<{ userKey: string; xsrfToken: string } | null> {
    if (!SESSION_ID.test(sessionId)) return null;
    const key = storedSessionKey(sessionId);
    const rows = await this.db.query<{ USER_KEY: string; XSRF_TOKEN: string; CREATED: number; LAST_USED: number }>(
      'SELECT USER_KEY, XSRF_TOKEN, CREATED, LAST_USED FROM HOST_SESSION WHERE SESSION_ID = ?', [key]);
    if (!rows.length) return null;
    const now = this.clock.now();
    const lastUsed = Number(rows[0].LAST_USED);
    const age = now - Number(rows[0].CREATED);
    if (now - lastUsed > SESSION_IDLE_TIMEOUT_MS || age > SESSION_MAX_AGE_MS || age < -MAX_CREATED_AHEAD_MS) {
      await this.destroy(sessionId);
      return null;
    }
    if (now - lastUsed > TOUCH_EVERY_MS) {
      await this.db.execute('UPDATE HOST_SESSION SET LAST_USED = ? WHERE SESSION_ID = ?', [now, key]);
    }
    return { userKey: rows[0].USER_KEY, xsrfToken: rows[0].XSRF_TOKEN };
  }

  async destroy(sessionId: string): Promise<void> {
    await this.db.execute('DELETE FROM HOST_SESSION WHERE SESSION_ID = ?', [storedSessionKey(sessionId)]);
  }

  /**
   * Only ids of the form {@link create} makes can be sessions; those are deleted
   * {@link DESTROY_CHUNK} to a statement (a 16-KB Cookie header holds ~200 of them).
   */
  async destroyMany(sessionIds: readonly string[]): Promise<void> {
    const keys = [...new Set(sessionIds.filter((id) => SESSION_ID.test(id)).map(storedSessionKey))];
    for (let i = 0; i < keys.length; i += DESTROY_CHUNK) {
      const chunk = keys.slice(i, i + DESTROY_CHUNK);
      await this.db.execute(`DELETE FROM HOST_SESSION WHERE SESSION_ID IN (${chunk.map(() => '?').join(', ')})`, chunk);
    }
  }

  /**
   * Deletes the sessions idle past the timeout or older than the limit. A session is otherwise removed only when its
   * cookie comes back or its user logs out, so a script that signs in for every call (found by the
   * resource review of 2026-12-04) left a row per login for ever. Run at logins, whose number is
   * what fills the table; the clock going back deletes nothing it would not delete later.
   */
  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS && now >= this.lastSweep) return;
    this.lastSweep = now;
    try {
      await this.db.execute('DELETE FROM HOST_SESSION WHERE LAST_USED < ? OR CREATED < ?', [now - SESSION_IDLE_TIMEOUT_MS, now - SESSION_MAX_AGE_MS]);
    } catch (err) {
      // The login goes on; the next sweep (a minute later) deletes them.
      this.logger.warn('Could not delete idle sessions', { error: String((err as Error)?.message ?? err) });
    }
  }

  /** Ends every session of a user (deleted or deactivated users). */
  async destroyAllFor(userKey: string): Promise<void> {
    await this.db.execute('DELETE FROM HOST_SESSION WHERE USER_KEY = ?', [userKey]);
  }
}
