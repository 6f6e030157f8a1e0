// Shared set-up of the plugin's e2e suites: a real host (host-sim) with the real plugin on a
// fresh SQLite, MariaDB or PostgreSQL database, users of every role, captured log output, and a check that
// no plain token ever reached the database, the log or the audit log.
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { createConnection } from 'mysql2/promise';
import { Client as PgClient } from 'pg';
import type { Product } from '../../../../host-sim/spi';
import type { TestDatabaseKind } from '../../../support/databases';
import { MemoryTransport } from '../../../support/spi-fakes/CapturingLogger';
import { startTestHost, type TestHost, type TestRequestOptions, type TestResponse } from '../../../support/hostServer';

export const API = '/rest/de.resolution.apitokenauth/latest';


export interface E2eUser { readonly name: string; readonly password: string; readonly key: string; readonly email: string }

export interface E2eEnv {
  readonly host: TestHost;
  readonly product: Product;
  readonly kind: TestDatabaseKind;
  readonly logs: string[];
  /** Every plain token this suite was given (checked against DB, log and audit at the end). */
  readonly issued: string[];
  readonly users: Record<'admin' | 'alice' | 'bob' | 'manager' | 'carol', E2eUser>;
  req(path: string, options?: TestRequestOptions): Promise<TestResponse>;
  as(user: keyof E2eEnv['users'], path: string, options?: TestRequestOptions): Promise<TestResponse>;
  /**
   * A request in a browser-like session of `user` (signed in by `POST /rest/auth/1/session`,
   * which works while password Basic is off) that has confirmed the password on the websudo page,
   * as an administrator does before administrative calls: what relaxes a setting, which a token
   * may not.
   */
  inSession(user: keyof E2eEnv['users'], path: string, options?: TestRequestOptions): Promise<TestResponse>;
  /** The cookie of such a session, for many requests in one session (one password check, not one per request). */
  webSudoSession(user: keyof E2eEnv['users']): Promise<string>;
  createToken(user: keyof E2eEnv['users'], body?: Record<string, unknown>): Promise<{ id: number; plainTextToken: string; [k: string]: unknown }>;
  /**
   * Audit events of an action, polled until at least `min` exist, or until `min` (a predicate)
   * holds for them: earlier events of the action satisfy a count before the awaited one is
   * written (the plugin writes token use in batches).
   */
  auditEvents(action: string, min?: number | ((events: Array<Record<string, unknown>>) => boolean)): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

export async function startE2e(product: Product, kind: TestDatabaseKind, env: Record<string, string> = {}): Promise<E2eEnv> {
  const host = await startTestHost({ product, dbKind: kind, env });
  const logs: string[] = [];
  // Keep info lines (the success log line is info) without printing them to the console.
  for (const t of host.runtime.logger.transports) t.silent = true;
  host.runtime.logger.level = 'info';
  host.runtime.logger.add(new MemoryTransport(logs));
  await host.runtime.users.createGroup('token-managers');
  const userGroup = product === 'jira' ? 'jira-software-users' : 'confluence-users';
  const make = async (name: string, groups: string[] = []): Promise<E2eUser> => {
    const password = `${name}-pw-1`;
    const email = `${name}@example.com`;
    const u = await host.runtime.users.createUser({ name, password, email, displayName: name.toUpperCase(), groups: [userGroup, ...groups] });
    return { name, password, key: u.key, email };
  };
  const adminUser = await host.runtime.users.getStoredUser('admin');
  const users = {
    admin: { name: 'admin', password: 'admin', key: adminUser!.key, email: adminUser!.email },
    alice: await make('alice'),
    bob: await make('bob'),
    manager: await make('manager', ['token-managers']),
    carol: await make('carol'),
  };
  const issued: string[] = [];
  const e2e: E2eEnv = {
    host, product, kind, logs, issued, users,
    req: (path, options) => host.request(path, options),
    as: (user, path, options = {}) => host.request(path, { ...options, auth: [users[user].name, users[user].password] }),
    async inSession(user, path, options = {}) {
      const cookie = await e2e.webSudoSession(user);
      return host.request(path, { ...options, headers: { ...options.headers, Cookie: cookie } });
    },
    async webSudoSession(user) {
      const cookie = await host.login(users[user].name, users[user].password);
      await host.enterWebSudo(cookie, users[user].password);
      return cookie;
    },
    async createToken(user, body = {}) {
      const res = await e2e.as(user, `${API}/user/token`, { method: 'POST', body });
      if (res.status !== 200) throw new Error(`create token for ${user}: ${res.status} ${res.text}`);
      issued.push(res.json.plainTextToken);
      return res.json;
    },
    async auditEvents(action, min = 1) {
      for (let i = 0; i < 40; i++) {
        const res = await e2e.as('admin', `/rest/auditing/1.0/events?action=${encodeURIComponent(action)}&limit=1000`);
        const events = (res.json?.entities ?? []) as Array<Record<string, unknown>>;
        if (typeof min === 'function' ? min(events) : events.length >= min) return events;
        await new Promise((r) => setTimeout(r, 100));
      }
      return [];
    },
    stop: () => host.stop(),
  };
  const put = await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { createOnBehalfGroups: ['token-managers'] } });
  if (put.status !== 200) throw new Error(`settings: ${put.status} ${put.text}`);
  return e2e;
}

/** Every row of every table of the host database, as one JSON text. */
export async function dumpDatabase(dbUrl: string): Promise<string> {
  if (dbUrl.startsWith('sqlite:')) {
    const db = new Database(dbUrl.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM "${t.name}"`).all()));
    } finally {
      db.close();
    }
  }
  const url = new URL(dbUrl);
  if (url.protocol.startsWith('postgres')) {
    const pg = new PgClient({ connectionString: dbUrl });
    await pg.connect();
    try {
      const tables = await pg.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()');
      const out: unknown[] = [];
      for (const t of tables.rows) out.push((await pg.query(`SELECT * FROM "${t.table_name.replace(/"/g, '""')}"`)).rows);
      return JSON.stringify(out);
    } finally {
      await pg.end();
    }
  }
  const c = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: url.pathname.slice(1) });
  try {
    const [tables] = await c.query('SHOW TABLES');
    const out: unknown[] = [];
    for (const row of tables as Array<Record<string, string>>) out.push((await c.query(`SELECT * FROM \`${Object.values(row)[0]}\``))[0]);
    return JSON.stringify(out);
  } finally {
    await c.end();
  }
}

/** Asserts that no issued token (nor its secret part) is in the database, the log or the audit log. */
export async function findPlainTokenLeaks(e2e: E2eEnv): Promise<string[]> {
  const db = await dumpDatabase(e2e.host.dbUrl);
  const audit = JSON.stringify((await e2e.as('admin', '/rest/auditing/1.0/events?limit=1000')).json);
  const logs = e2e.logs.join('\n');
  const leaks: string[] = [];
  for (const token of e2e.issued) {
    const secret = token.slice(20, 48);
    for (const [where, text] of [['database', db], ['log', logs], ['audit', audit]] as const) {
      if (text.includes(token) || text.includes(secret)) leaks.push(`${where}: ${token.slice(0, 19)}…`);
    }
  }
  return leaks;
}

/** The after-suite hook of every e2e suite: stops the host, then fails if a plain token leaked. */
export async function stopAndCheckLeaks(e2e: E2eEnv | undefined): Promise<void> {
  let leaks: string[];
  try {
    leaks = e2e ? await findPlainTokenLeaks(e2e) : [];
  } finally {
    // Stopped even when the check itself fails: a host left running keeps mocha from exiting.
    await e2e?.stop();
  }
  expect(leaks).to.deep.equal([]);
}
