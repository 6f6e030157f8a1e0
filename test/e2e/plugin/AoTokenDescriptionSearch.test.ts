// TokenUpgradeTask005: PostgreSQL's trigram index for the description filter (issue 16's
// description-search bar), up and down, the plans it gives a common and a rare substring, the
// same answers through the index as without it, and no index (but a working migration) where
// pg_trgm may not be created. On MySQL and SQLite the task changes nothing.
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import { TokenUpgradeTask005 } from '../../../ao-schema/apitokenauth/TokenUpgradeTask005';
import { dialectOf, forEachDatabase } from '../../support/databases';
import { useMigrationDatabase } from '../../support/migrationDatabase';

const TABLE = 'AO_TEST05_TOKEN';
const TRIGRAMS = 'IX_AO_TEST05_TOKEN_DESCRIPTION_TRGM';

forEachDatabase('TokenUpgradeTask005 (description trigrams)', (kind) => {
  const m = useMigrationDatabase(kind);

  const tasks = () => upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => `AO_TEST05_${upperSnake(entity)}` });
  /** Index names as the database has them now; on PostgreSQL from pg_indexes (TypeORM leaves out expression indexes). */
  const indexNames = async (): Promise<string[]> => {
    if (kind === 'postgres') {
      return ((await m.runner.query('SELECT indexname FROM pg_indexes WHERE tablename = $1', [TABLE])) as Array<{ indexname: string }>).map((r) => r.indexname);
    }
    const fresh = m.ds.createQueryRunner();
    try {
      return ((await fresh.getTable(TABLE))?.indices ?? []).flatMap((i) => (i.name ? [i.name] : []));
    } finally {
      await fresh.release();
    }
  };

  it('should come fifth, after the owner index, and add the trigram index only on PostgreSQL, removing it on the way down', async () => {
    const all = tasks();
    const fifth = all[4];
    expect(fifth).to.be.instanceOf(TokenUpgradeTask005);
    expect(fifth.name).to.match(/^TokenUpgradeTask005AOTEST05TOKEN\d{13}$/);
    expect(Number(String(fifth.name).slice(-13))).to.be.greaterThan(Number(String(all[3].name).slice(-13)));
    for (const task of all.slice(0, 4)) await task.up(m.runner);
    const before = await indexNames();
    await fifth.up(m.runner);
    const up = await indexNames();
    if (kind === 'postgres') expect(up).to.have.members([...before, TRIGRAMS]);
    else expect(up).to.have.members(before);
    await fifth.down(m.runner);
    expect(await indexNames()).to.have.members(before);
    await fifth.up(m.runner);
    await fifth.down(m.runner);
    for (const task of all.slice(0, 4).reverse()) await task.down(m.runner);
    expect(await m.runner.hasTable(TABLE)).to.equal(false);
  });

  if (kind === 'postgres') {
    const t = `"${TABLE}"`;
    const seed = async () => {
      for (const task of tasks()) await task.up(m.runner);
      // 200,000 rows (fewer would rightly be scanned): one in six "nightly …", a few with LIKE's special characters.
      await m.runner.query(`INSERT INTO ${t} ("PUBLIC_ID", "STRING_ID", "USER_KEY", "DESCRIPTION", "CREATED", "CREATED_BY", "VALID_UNTIL", "SALT", "HASH")
        SELECT 'p' || i, 's' || i, 'user' || (i % 700),
          (ARRAY['Nightly build', 'CI pipeline', 'backup script', 'reporting', 'migration', 'monitoring'])[i % 6 + 1] || ' ' || i,
          i, 'u', (i * 15485863::bigint) % 1000000, 'aa', 'bb' FROM generate_series(1, 200000) AS i`);
      await m.runner.query(`INSERT INTO ${t} ("PUBLIC_ID", "STRING_ID", "USER_KEY", "DESCRIPTION", "CREATED", "CREATED_BY", "VALID_UNTIL", "SALT", "HASH") VALUES
        ('x1', 'y1', 'u', '100% sure_thing!', 1, 'u', 1, 'aa', 'bb'), ('x2', 'y2', 'u', '100 percent sureXthing', 1, 'u', 1, 'aa', 'bb'),
        ('x3', 'y3', 'u', 'a\\b back!slash', 1, 'u', 1, 'aa', 'bb')`);
      await m.runner.query(`ANALYZE ${t}`);
    };
    /** The store's page statement (AoTokenStore: LOWER(…) LIKE ? ESCAPE '!'), explained or run. */
    const page = `SELECT "ID" FROM ${t} WHERE LOWER("DESCRIPTION") LIKE $1 ESCAPE '!' ORDER BY "VALID_UNTIL" ASC, "ID" ASC LIMIT 50`;
    const plan = async (pattern: string) => ((await m.runner.query(`EXPLAIN ${page}`, [pattern])) as Array<{ 'QUERY PLAN': string }>)
      .map((p) => p['QUERY PLAN']).join(' | ');

    it('should read a common substring\'s first page along the sort index and find a rare one through the trigrams, never scanning the table', async function () {
      this.timeout(60_000);
      await seed();
      const common = await plan('%nightly%');
      expect(common).to.match(/Index Scan using "IX_AO_TEST05_TOKEN_VALID_UNTIL"/);
      expect(common).to.not.match(/Seq Scan/);
      // One row holds this substring. A rarer-looking pattern that a dozen rows hold (say "nightly build 1234") is
      // estimated at 1/99 of the table whenever ANALYZE's 100-value histogram happens to sample one of them, and
      // the planner then rightly walks the sort index: a matching row in the sample is now a 1-in-2,000 chance.
      const rare = await plan('%nightly build 123456%');
      expect(rare).to.include(`Bitmap Index Scan on "${TRIGRAMS}"`);
      expect(rare).to.not.match(/Seq Scan/);
    });

    it('should give the same rows through the trigram index as a scan and as strpos, also for % _ ! and a backslash', async function () {
      this.timeout(60_000);
      await seed();
      // Plain substrings, escaped for LIKE as AoTokenStore escapes them.
      const substrings = ['nightly build 1234', '100% sure_thing!', 'a\\b', 'ure_', 'zzqq', 'CI pipeline 77'];
      const like = (s: string) => `%${s.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
      const ids = async (sql: string, param: string) => ((await m.runner.query(sql, [param])) as Array<{ ID: number }>).map((r) => Number(r.ID));
      const oracle = `SELECT "ID" FROM ${t} WHERE strpos(LOWER("DESCRIPTION"), $1) > 0 ORDER BY "VALID_UNTIL" ASC, "ID" ASC LIMIT 50`;
      await m.runner.startTransaction();
      try {
        const viaIndex: number[][] = [];
        await m.runner.query('SET LOCAL enable_seqscan = off');
        await m.runner.query('SET LOCAL enable_indexscan = off');
        for (const s of substrings) {
          expect(await plan(like(s)), s).to.include(`Bitmap Index Scan on "${TRIGRAMS}"`);
          viaIndex.push(await ids(page, like(s)));
        }
        await m.runner.query('SET LOCAL enable_seqscan = on');
        await m.runner.query('SET LOCAL enable_bitmapscan = off');
        for (const [i, s] of substrings.entries()) {
          expect(await plan(like(s)), s).to.not.include(TRIGRAMS);
          expect(await ids(page, like(s)), s).to.deep.equal(viaIndex[i]);
          expect(await ids(oracle, s.toLowerCase()), s).to.deep.equal(viaIndex[i]);
        }
        expect(viaIndex.map((r) => r.length > 0)).to.deep.equal([true, true, true, true, false, true]);
        expect(viaIndex[3]).to.have.length(1);
      } finally {
        await m.runner.rollbackTransaction();
      }
    });

    it('should leave the schema as it was, and the migration\'s transaction usable, where pg_trgm may not be created', async () => {
      const all = tasks();
      for (const task of all.slice(0, 4)) await task.up(m.runner);
      const before = await indexNames();
      // What the task sees where pg_trgm is not installed and the user may not create it.
      const statements: string[] = [];
      const refusing = new Proxy(m.runner, {
        get(target, prop, receiver) {
          if (prop !== 'query') return Reflect.get(target, prop, receiver) as unknown;
          return async (sql: string, params?: unknown[]) => {
            statements.push(sql);
            if (/FROM pg_extension/.test(sql)) return [];
            // A real failing statement, so that the transaction really is aborted.
            if (/^CREATE EXTENSION/.test(sql)) return target.query('CREATE EXTENSION apitok_no_such_extension');
            return target.query(sql, params);
          };
        },
      });
      await m.runner.startTransaction();
      await all[4].up(refusing);
      // The transaction still works: the refusal was rolled back to its savepoint.
      expect(await m.runner.query('SELECT 1 AS "ONE"')).to.deep.equal([{ ONE: 1 }]);
      await m.runner.commitTransaction();
      expect(statements.some((s) => /^CREATE EXTENSION/.test(s))).to.equal(true);
      expect(statements.some((s) => /ROLLBACK TO SAVEPOINT/.test(s))).to.equal(true);
      expect(statements.some((s) => /^CREATE INDEX/.test(s))).to.equal(false);
      expect(await indexNames()).to.have.members(before);
    });
  }
});
