// docs/plugin-development.md (Active Objects naming): the plugin's tables are `AO_<6 hex>_<ENTITY>`, at most 30
// characters, and their column names are upper snake case. The naming functions were tested
// (contract/host/aoNaming) and the first upgrade task's indexes, but not the schema every
// migration leaves behind in a real database: a later task adding a `lastIp` or `known_ips`
// column, or a table over 30 characters, went unnoticed. Checked on every database, as
// PostgreSQL keeps quoted identifiers exactly as written.
import { expect } from 'chai';
import { DataSource } from 'typeorm';
import { forEachDatabase, type TestDatabaseKind } from '../../support/databases';
import { useAoTokenStore } from './support/aoTokenStore';

const PREFIX = 'AO_5D4005_';
const TABLE_NAME = /^AO_[0-9A-F]{6}_[A-Z][A-Z0-9_]*$/;
const COLUMN_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

function dataSourceOf(kind: TestDatabaseKind, url: string): DataSource {
  if (kind === 'sqlite') return new DataSource({ type: 'better-sqlite3', database: url.slice('sqlite:'.length) });
  return new DataSource({ type: kind === 'postgres' ? 'postgres' : 'mysql', url });
}

/** Every table of the database whose name starts with `prefix`, as the database spells it. */
async function tablesStartingWith(ds: DataSource, kind: TestDatabaseKind, prefix: string): Promise<string[]> {
  const sql = {
    sqlite: "SELECT name AS n FROM sqlite_master WHERE type = 'table'",
    mariadb: 'SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()',
    postgres: "SELECT table_name AS n FROM information_schema.tables WHERE table_schema = current_schema()",
  }[kind];
  const rows = (await ds.query(sql)) as Array<{ n: string }>;
  return rows.map((r) => r.n).filter((n) => n.toUpperCase().startsWith(prefix)).sort();
}

forEachDatabase('Active Objects names of the plugin schema', (kind) => {
  const suite = useAoTokenStore(kind, 'aonames-');

  it('should name every plugin table AO_<6 hex>_<ENTITY> in at most 30 characters, with upper snake case columns', async () => {
    const ds = dataSourceOf(kind, suite.dbUrl);
    await ds.initialize();
    try {
      const tables = await tablesStartingWith(ds, kind, PREFIX);
      expect(tables).to.include.members([`${PREFIX}TOKEN`, `${PREFIX}RETIRED_SECRET`]);
      const runner = ds.createQueryRunner();
      try {
        for (const name of tables) {
          expect(name, name).to.match(TABLE_NAME);
          expect(name.length, name).to.be.at.most(30);
          const table = await runner.getTable(name);
          expect(table, name).to.not.equal(undefined);
          const columns = (table?.columns ?? []).map((c) => c.name);
          expect(columns.length, name).to.be.greaterThan(0);
          expect(columns.filter((c) => !COLUMN_NAME.test(c)), `${name} columns`).to.deep.equal([]);
        }
      } finally {
        await runner.release();
      }
    } finally {
      await ds.destroy();
    }
  });
});
