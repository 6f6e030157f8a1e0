// TokenUpgradeTask003: the (column, ID) indexes behind every sort order of tokensByFilter (issue
// 12 B), up and down, on SQLite and MariaDB; a sorted first page is read from the index, in order.
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import { forEachDatabase } from '../../support/databases';
import { useMigrationDatabase } from '../../support/migrationDatabase';

const TABLE = 'AO_TEST03_TOKEN';
const SORTED = ['IX_AO_TEST03_TOKEN_CREATED_ID', 'IX_AO_TEST03_TOKEN_LAST_ACCESSED_ID', 'IX_AO_TEST03_TOKEN_DESCRIPTION_ID', 'IX_AO_TEST03_TOKEN_USER_KEY_ID'];
const REPLACED = ['IX_AO_TEST03_TOKEN_CREATED', 'IX_AO_TEST03_TOKEN_LAST_ACCESSED', 'IX_AO_TEST03_TOKEN_USER_KEY'];

forEachDatabase('TokenUpgradeTask003 (sort indexes)', (kind) => {
  const m = useMigrationDatabase(kind);

  const tasks = () => upgradeTasks({ dialect: kind === 'sqlite' ? 'sqlite' : kind === 'mariadb' ? 'mysql' : 'postgres', tableName: (entity) => `AO_TEST03_${upperSnake(entity)}` });
  /** Index names as the database has them now (a fresh runner: TypeORM caches a table's metadata per m.runner). */
  const indexNames = async () => {
    const fresh = m.ds.createQueryRunner();
    try {
      return ((await fresh.getTable(TABLE))?.indices ?? []).map((i) => i.name);
    } finally {
      await fresh.release();
    }
  };

  it('should replace the single-column indexes by (column, ID) ones and put them back on the way down', async () => {
    const all = tasks();
    expect(all).to.have.length.of.at.least(3);
    const third = all[2];
    expect(third.name).to.match(/^TokenUpgradeTask003AOTEST03TOKEN\d{13}$/);
    expect(Number(String(third.name).slice(-13))).to.be.greaterThan(Number(String(all[1].name).slice(-13)));
    await all[0].up(m.runner);
    await all[1].up(m.runner);
    const q = (name: string) => m.ds.driver.escape(name);
    const columns = ['PUBLIC_ID', 'STRING_ID', 'USER_KEY', 'DESCRIPTION', 'CREATED', 'CREATED_BY', 'VALID_UNTIL', 'SALT', 'HASH'].map(q).join(', ');
    await m.runner.query(`INSERT INTO ${q(TABLE)} (${columns}) VALUES ('p', 's', 'u', 'd', 1, 'u', 2, 'aa', 'bb')`);
    await third.up(m.runner);
    const up = await indexNames();
    expect(up).to.include.members([...SORTED, 'IX_AO_TEST03_TOKEN_VALID_UNTIL', 'U_AO_TEST03_TOKEN_PUBLIC_ID', 'U_AO_TEST03_TOKEN_STRING_ID']);
    for (const name of REPLACED) expect(up, name).to.not.include(name);
    const [count] = await m.runner.query(`SELECT COUNT(*) AS ${q('N')} FROM ${q(TABLE)}`) as Array<{ N: number | string }>;
    expect(Number(count.N)).to.equal(1);
    await third.down(m.runner);
    const down = await indexNames();
    expect(down).to.include.members(REPLACED);
    for (const name of SORTED) expect(down, name).to.not.include(name);
    await third.up(m.runner);
    expect(await indexNames()).to.include.members(SORTED);
    await third.down(m.runner);
    await all[1].down(m.runner);
    await all[0].down(m.runner);
    expect(await m.runner.hasTable(TABLE)).to.equal(false);
  });

  if (kind === 'mariadb') {
    it('should read every sorted first page from an index, forwards or backwards, without a filesort', async function () {
      this.timeout(60_000);
      for (const task of tasks()) await task.up(m.runner);
      // 20,000 rows with spread values, so that the optimizer weighs the index against a scan.
      await m.runner.query('SET SESSION max_recursive_iterations = 100000');
      await m.runner.query(`INSERT INTO ${TABLE} (PUBLIC_ID, STRING_ID, USER_KEY, DESCRIPTION, CREATED, CREATED_BY, VALID_UNTIL, SALT, HASH, LAST_ACCESSED)
        WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
        SELECT CONCAT('p', i), CONCAT('s', i), CONCAT('user', i MOD 700), CONCAT('token ', (i * 7919) MOD 20000), (i * 104729) MOD 1000000, 'u',
          (i * 15485863) MOD 1000000, 'aa', 'bb', (i * 32452843) MOD 1000000 FROM n`);
      await m.runner.query(`ANALYZE TABLE ${TABLE}`);
      for (const column of ['VALID_UNTIL', 'CREATED', 'LAST_ACCESSED', 'DESCRIPTION', 'USER_KEY']) {
        for (const direction of ['ASC', 'DESC']) {
          // As a system admin lists (no condition) and as anyone else (higher ranks and user-less tokens left out).
          for (const where of ['1 = 1', "USER_KEY IS NOT NULL AND (USER_KEY IS NULL OR USER_KEY NOT IN ('user1', 'user2'))"]) {
            const [plan] = await m.runner.query(`EXPLAIN SELECT ID FROM ${TABLE} WHERE ${where} ORDER BY ${column} ${direction}, ID ${direction} LIMIT 50 OFFSET 0`) as Array<{ key: string | null; Extra: string | null }>;
            expect(plan.key, `${column} ${direction} ${where}: ${JSON.stringify(plan)}`).to.match(/^IX_AO_TEST03_TOKEN_/);
            expect(plan.Extra ?? '', `${column} ${direction} ${where}`).to.not.include('filesort');
          }
        }
      }
    });
  }

  if (kind === 'postgres') {
    it('should read every sorted first page from an index, forwards or backwards, without a sort (TokenUpgradeTask004: NULL owners first)', async function () {
      this.timeout(60_000);
      for (const task of tasks()) await task.up(m.runner);
      const t = `"${TABLE}"`;
      await m.runner.query(`INSERT INTO ${t} ("PUBLIC_ID", "STRING_ID", "USER_KEY", "DESCRIPTION", "CREATED", "CREATED_BY", "VALID_UNTIL", "SALT", "HASH", "LAST_ACCESSED")
        SELECT 'p' || i, 's' || i, CASE WHEN i % 50 = 0 THEN NULL ELSE 'user' || (i % 700) END, 'token ' || ((i * 7919) % 20000), (i * 104729) % 1000000, 'u',
          (i * 15485863::bigint) % 1000000, 'aa', 'bb', (i * 32452843::bigint) % 1000000 FROM generate_series(1, 20000) AS i`);
      await m.runner.query(`ANALYZE ${t}`);
      for (const [column, nullable] of [['VALID_UNTIL', false], ['CREATED', false], ['LAST_ACCESSED', false], ['DESCRIPTION', false], ['USER_KEY', true]] as const) {
        for (const direction of ['ASC', 'DESC']) {
          // The order AoTokenStore writes on PostgreSQL (NULL owners first ascending, last descending).
          const nulls = nullable ? (direction === 'ASC' ? ' NULLS FIRST' : ' NULLS LAST') : '';
          for (const where of ['1 = 1', `"USER_KEY" IS NOT NULL AND ("USER_KEY" IS NULL OR "USER_KEY" NOT IN ('user1', 'user2'))`]) {
            const plan = await m.runner.query(`EXPLAIN SELECT "ID" FROM ${t} WHERE ${where} ORDER BY "${column}" ${direction}${nulls}, "ID" ${direction} LIMIT 50`) as Array<{ 'QUERY PLAN': string }>;
            const text = plan.map((p) => p['QUERY PLAN']).join(' | ');
            expect(text, `${column} ${direction} ${where}`).to.match(/Index (Only )?Scan (Backward )?using "IX_AO_TEST03_TOKEN_/);
            expect(text, `${column} ${direction} ${where}`).to.not.match(/\bSort\b/);
          }
        }
      }
    });
  }

  if (kind === 'sqlite') {
    it('should read every sorted first page from an index, without sorting', async () => {
      for (const task of tasks()) await task.up(m.runner);
      for (const column of ['VALID_UNTIL', 'CREATED', 'LAST_ACCESSED', 'DESCRIPTION', 'USER_KEY']) {
        for (const direction of ['ASC', 'DESC']) {
          for (const where of ['1 = 1', "USER_KEY IS NOT NULL AND (USER_KEY IS NULL OR USER_KEY NOT IN ('user1', 'user2'))"]) {
            const plan = await m.runner.query(`EXPLAIN QUERY PLAN SELECT ID FROM ${TABLE} WHERE ${where} ORDER BY ${column} ${direction}, ID ${direction} LIMIT 50`) as Array<{ detail: string }>;
            const text = plan.map((p) => p.detail).join(' | ');
            expect(text, `${column} ${direction} ${where}`).to.match(/USING (COVERING )?INDEX IX_AO_TEST03_TOKEN_/);
            expect(text, `${column} ${direction} ${where}`).to.not.include('TEMP B-TREE');
          }
        }
      }
    });
  }
});
