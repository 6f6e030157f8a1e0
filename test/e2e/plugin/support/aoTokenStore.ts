// A host runtime on a fresh test database with the token schema, and the token store on it: the
// setup of the store suites that run on every database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { upgradeTasks } from '../../../../ao-schema/apitokenauth';
import { aoTableName } from '../../../../host-sim/impl/ao/aoNaming';
import { loadConfig } from '../../../../host-sim/config';
import { createHostRuntime } from '../../../../host-sim/impl/createHostRuntime';
import type { HostRuntime } from '../../../../host-sim/impl/HostRuntime';
import { AoTokenMaintenanceStore } from '../../../../plugin/ao/AoTokenMaintenanceStore';
import { AoTokenStore } from '../../../../plugin/ao/AoTokenStore';
import type { Token } from '../../../../plugin/ao/Token';
import { hashSecret, newSalt } from '../../../../plugin/token/SecretHasher';
import { generateStringId, generateToken } from '../../../../plugin/token/TokenFormat';
import { createTestDatabase, dialectOf, type TestDatabase, type TestDatabaseKind } from '../../../support/databases';
import { ROOT } from '../../../support/hostServer';

export interface AoTokenStoreSuite {
  readonly runtime: HostRuntime;
  readonly store: AoTokenStore;
  /** The jobs' store on the same tables. */
  readonly maintenance: AoTokenMaintenanceStore;
  /** The test database's URL (`sqlite:<file>`, `mysql://…`, `postgres://…`). */
  readonly dbUrl: string;
}

/** Registers the suite's `before` (database, runtime with the token schema, store) and `after` (all dropped). */
export function useAoTokenStore(kind: TestDatabaseKind, tmpPrefix = 'aostore-'): AoTokenStoreSuite {
  let db: TestDatabase | undefined;
  let runtime: HostRuntime | undefined;
  let store: AoTokenStore | undefined;
  let dataDir: string | undefined;
  before(async () => {
    db = await createTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
    const config = loadConfig({ NODE_ENV: 'test', PRODUCT: 'jira', PORT: '0', DB_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, ROOT);
    const migrations = upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => aoTableName('AO_5D4005', entity) });
    runtime = await createHostRuntime(config, { extraMigrations: migrations });
    store = new AoTokenStore(runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects);
  });
  after(async () => {
    await runtime?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    await db?.drop();
  });
  return {
    get runtime(): HostRuntime {
      if (!runtime) throw new Error('the suite has not started');
      return runtime;
    },
    get store(): AoTokenStore {
      if (!store) throw new Error('the suite has not started');
      return store;
    },
    get maintenance(): AoTokenMaintenanceStore {
      return new AoTokenMaintenanceStore(this.runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects);
    },
    get dbUrl(): string {
      if (!db) throw new Error('the suite has not started');
      return db.url;
    },
  };
}

/** Inserts a read/write token of `userKey` (created at 1,000, valid far ahead) with a fresh secret. */
export async function insertTestToken(store: AoTokenStore, userKey: string, description = 'd'): Promise<Token> {
  const g = generateToken();
  const salt = newSalt();
  const inserted = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey, description, created: 1_000, createdBy: userKey,
    validUntil: 9_000_000_000_000, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null }, 100);
  if (!inserted.ok) throw new Error('insert');
  return inserted.token;
}
