// SQL for the user directory tables; no caching, no events (DefaultUserAdministration does those).
import type { Clock } from '../../spi/Clock';
import type { Database } from '../db/Database';
import type { UserRecord } from './UserCache';

interface UserRow {
  ID: number; USER_KEY: string; USER_NAME: string; LOWER_USER_NAME: string; DISPLAY_NAME: string;
  EMAIL_ADDRESS: string; ACTIVE: number; CREDENTIAL: string | null; LOCALE: string; TIME_ZONE: string;
}

const USER_COLUMNS = 'ID, USER_KEY, USER_NAME, LOWER_USER_NAME, DISPLAY_NAME, EMAIL_ADDRESS, ACTIVE, CREDENTIAL, LOCALE, TIME_ZONE';

export interface UserInsert {
  readonly key: string; readonly name: string; readonly displayName: string; readonly email: string;
  readonly credential: string; readonly locale: string; readonly timeZone: string;
}

export class UserStore {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  // Lookups compare exactly: MariaDB's collations pad with spaces (PAD SPACE), so there
  // `LOWER_USER_NAME = 'alice '` finds alice, and a cache would then hold her under a second
  // name that invalidations of 'alice' never reach (found in the attack review of 2026-12-02:
  // a user-less token went on acting as a deactivated user named with a trailing space).

  async findByName(name: string): Promise<UserRecord | null> {
    return this.oneWhere('LOWER_USER_NAME', name.toLowerCase());
  }

  async findByKey(key: string): Promise<UserRecord | null> {
    return this.oneWhere('USER_KEY', key);
  }

  /** The user whose `column` is exactly `value`. */
  private async oneWhere(column: 'LOWER_USER_NAME' | 'USER_KEY', value: string): Promise<UserRecord | null> {
    const rows = await this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM HOST_USER WHERE ${column} = ?`, [value]);
    const row = rows.find((r) => r[column] === value);
    return row ? toRecord(row) : null;
  }

  async findByEmail(email: string): Promise<UserRecord[]> {
    const lower = email.toLowerCase();
    const rows = await this.db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM HOST_USER WHERE LOWER_EMAIL_ADDRESS = ? ORDER BY LOWER_USER_NAME`, [lower]);
    return rows.filter((r) => String(r.EMAIL_ADDRESS ?? '').toLowerCase() === lower).map(toRecord);
  }

  async search(query: string, limit: number): Promise<UserRecord[]> {
    // No stored name holds a NUL, and SQLite's LIKE would end the pattern there (matching everyone).
    if (query.includes('\u0000')) return [];
    const pattern = `%${query.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
    const rows = await this.db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM HOST_USER WHERE LOWER_USER_NAME LIKE ? ESCAPE '!' OR LOWER(DISPLAY_NAME) LIKE ? ESCAPE '!' `
      + `OR LOWER_EMAIL_ADDRESS LIKE ? ESCAPE '!' ORDER BY LOWER_USER_NAME LIMIT ${clampLimit(limit)}`,
      [pattern, pattern, pattern]);
    return rows.map(toRecord);
  }

  async list(offset: number, limit: number): Promise<UserRecord[]> {
    const rows = await this.db.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM HOST_USER ORDER BY LOWER_USER_NAME LIMIT ${clampLimit(limit)} OFFSET ${clampOffset(offset)}`);
    return rows.map(toRecord);
  }

  /** False when the name (or key) is taken. */
  async insertUser(user: UserInsert): Promise<boolean> {
    const now = this.clock.now();
    const res = await this.db.execute(
      this.db.sql.insertIgnore('HOST_USER', ['USER_KEY', 'USER_NAME', 'LOWER_USER_NAME', 'DISPLAY_NAME', 'EMAIL_ADDRESS',
        'LOWER_EMAIL_ADDRESS', 'ACTIVE', 'CREDENTIAL', 'LOCALE', 'TIME_ZONE', 'CREATED', 'UPDATED'],
      ['?', '?', '?', '?', '?', '?', '1', '?', '?', '?', '?', '?']),
      [user.key, user.name, user.name.toLowerCase(), user.displayName, user.email, user.email.toLowerCase(),
        user.credential, user.locale, user.timeZone, now, now]);
    return res.affected === 1;
  }

  async update(id: number, values: Readonly<Record<string, string | number>>): Promise<void> {
    const columns = Object.keys(values);
    await this.db.execute(
      `UPDATE HOST_USER SET ${columns.map((c) => `${c} = ?`).join(', ')}, UPDATED = ? WHERE ID = ?`,
      [...columns.map((c) => values[c]), this.clock.now(), id]);
  }

  async groupsOf(userKey: string): Promise<string[]> {
    const rows = await this.db.query<{ GROUP_NAME: string }>(
      'SELECT g.GROUP_NAME FROM HOST_MEMBERSHIP m JOIN HOST_GROUP g ON g.LOWER_GROUP_NAME = m.LOWER_GROUP_NAME '
      + 'WHERE m.USER_KEY = ? ORDER BY g.LOWER_GROUP_NAME', [userKey]);
    return rows.map((r) => r.GROUP_NAME);
  }

  /** Keys of the members of any of these groups (names in lower case), sorted, each once. */
  async userKeysInGroups(lowerGroupNames: readonly string[]): Promise<string[]> {
    if (lowerGroupNames.length === 0) return [];
    const rows = await this.db.query<{ USER_KEY: string }>(
      `SELECT DISTINCT USER_KEY FROM HOST_MEMBERSHIP WHERE LOWER_GROUP_NAME IN (${lowerGroupNames.map(() => '?').join(', ')}) ORDER BY USER_KEY`,
      [...lowerGroupNames]);
    return rows.map((r) => r.USER_KEY);
  }

  async groupExists(name: string): Promise<boolean> {
    const lower = name.toLowerCase();
    const rows = await this.db.query<{ LOWER_GROUP_NAME: string }>('SELECT LOWER_GROUP_NAME FROM HOST_GROUP WHERE LOWER_GROUP_NAME = ?', [lower]);
    return rows.some((r) => r.LOWER_GROUP_NAME === lower);
  }

  /** False when the group exists already. */
  async insertGroup(name: string): Promise<boolean> {
    const res = await this.db.execute(
      this.db.sql.insertIgnore('HOST_GROUP', ['GROUP_NAME', 'LOWER_GROUP_NAME', 'CREATED']),
      [name, name.toLowerCase(), this.clock.now()]);
    return res.affected === 1;
  }

  async listGroups(): Promise<string[]> {
    const rows = await this.db.query<{ GROUP_NAME: string }>('SELECT GROUP_NAME FROM HOST_GROUP ORDER BY LOWER_GROUP_NAME');
    return rows.map((r) => r.GROUP_NAME);
  }

  async addMembership(userKey: string, group: string): Promise<void> {
    await this.db.execute(
      this.db.sql.insertIgnore('HOST_MEMBERSHIP', ['USER_KEY', 'LOWER_GROUP_NAME']), [userKey, group.toLowerCase()]);
  }

}

function toRecord(row: UserRow): UserRecord {
  return {
    id: Number(row.ID), key: row.USER_KEY, name: row.USER_NAME, lowerName: row.LOWER_USER_NAME,
    displayName: row.DISPLAY_NAME, email: row.EMAIL_ADDRESS, active: Number(row.ACTIVE) === 1,
    credential: row.CREDENTIAL, locale: row.LOCALE, timeZone: row.TIME_ZONE,
  };
}

function clampLimit(limit: number): number {
  return Number.isSafeInteger(limit) && limit > 0 ? Math.min(limit, 1000) : 50;
}

function clampOffset(offset: number): number {
  return Number.isSafeInteger(offset) && offset > 0 ? offset : 0;
}
