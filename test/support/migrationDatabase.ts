import { DataSource, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './databases';

/** An empty test database with a TypeORM query runner, as the host hands one to upgrade tasks. */
export interface MigrationDatabase {
  readonly ds: DataSource;
  readonly runner: QueryRunner;
}

/**
 * Declares a `beforeEach` that creates an empty database of `kind` and opens a TypeORM data
 * source and query runner on it, and an `afterEach` that closes and drops them. The returned
 * object reads the current test's ones.
 */
export function useMigrationDatabase(kind: TestDatabaseKind): MigrationDatabase {
  let db: TestDatabase | undefined;
  let ds: DataSource | undefined;
  let runner: QueryRunner | undefined;
  beforeEach(async () => {
    db = await createTestDatabase(kind);
    ds = kind === 'sqlite'
      ? new DataSource({ type: 'better-sqlite3', database: db.url.slice('sqlite:'.length) })
      : new DataSource({ type: kind === 'postgres' ? 'postgres' : 'mysql', url: db.url });
    await ds.initialize();
    runner = ds.createQueryRunner();
  });
  afterEach(async () => {
    await runner?.release();
    await ds?.destroy();
    await db?.drop();
    runner = undefined;
    ds = undefined;
    db = undefined;
  });
  const current = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useMigrationDatabase: only inside a test');
    return value;
  };
  return {
    get ds() { return current(ds); },
    get runner() { return current(runner); },
  };
}
