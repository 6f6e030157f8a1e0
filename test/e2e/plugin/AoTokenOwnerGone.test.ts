// TokenUpgradeTask011 (OWNER_GONE) and the store's side of the deleted-owner mark, on SQLite,
// MariaDB and PostgreSQL: the pruner marks every token of a deleted owner before it deletes those
// nothing was issued through, and a manager's filter (excludeOwnerGone) leaves the kept ones out.
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import type { AoTokenMaintenanceStore } from '../../../plugin/ao/AoTokenMaintenanceStore';
import type { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { dialectOf, forEachDatabase } from '../../support/databases';
import { useMigrationDatabase } from '../../support/migrationDatabase';
import { insertTestToken, useAoTokenStore } from './support/aoTokenStore';

const TABLE = 'AO_TEST11_TOKEN';

forEachDatabase('TokenUpgradeTask011 (owner gone)', (kind) => {
  const m = useMigrationDatabase(kind);
  const q = (names: string) => names.split(', ').map((n) => m.ds.driver.escape(n)).join(', ');
  const columns = async () => (await m.runner.getTable(TABLE))?.columns.map((c) => c.name) ?? [];

  it('should add a nullable column (null on existing rows) and drop it again on the way down', async () => {
    const tasks = upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => `AO_TEST11_${upperSnake(entity)}` });
    const last = tasks[10];
    expect(last.name).to.match(/^TokenUpgradeTask011AOTEST11TOKEN\d{13}$/);
    expect(Number(last.name?.slice(-13)), 'ordered after task 010').to.be.greaterThan(Number(tasks[9].name?.slice(-13)));
    for (const task of tasks.slice(0, 10)) await task.up(m.runner);
    await m.runner.query(`INSERT INTO ${q(TABLE)} (${q('PUBLIC_ID, STRING_ID, USER_KEY, DESCRIPTION, CREATED, CREATED_BY, VALID_UNTIL, SALT, HASH')}) `
      + "VALUES ('old', 'sold', 'u', 'd', 1, 'u', 2, 'aa', 'bb')");
    await last.up(m.runner);
    const rows = await m.runner.query(`SELECT ${q('OWNER_GONE')} FROM ${q(TABLE)}`) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.OWNER_GONE)).to.deep.equal([null]);
    await last.down(m.runner);
    expect(await columns()).to.not.include('OWNER_GONE');
    const kept = await m.runner.query(`SELECT ${q('PUBLIC_ID')} FROM ${q(TABLE)}`) as Array<Record<string, unknown>>;
    expect(kept.map((r) => r.PUBLIC_ID), 'the row survives the down step').to.deep.equal(['old']);
    await last.up(m.runner);
    expect(await columns()).to.include('OWNER_GONE');
  });
});

forEachDatabase('AoTokenMaintenanceStore: the deleted-owner mark', (kind) => {
  const suite = useAoTokenStore(kind, 'aoownergone-');
  let store: AoTokenStore;
  let maintenance: AoTokenMaintenanceStore;
  before(() => {
    ({ store } = suite);
    maintenance = suite.maintenance;
  });

  const insert = (userKey: string) => insertTestToken(store, userKey, `gone-${userKey}`);
  const listed = async (excludeOwnerGone: boolean) => {
    const page = await store.findByFilter({ descriptionContains: 'gone-', ...(excludeOwnerGone ? { excludeOwnerGone } : {}) }, 0, 100);
    expect(page.total).to.equal(page.tokens.length);
    return page.tokens.map((t) => t.id).sort((a, b) => a - b);
  };

  it('should mark every token of the named owners once, and no one else\'s', async () => {
    const [a1, a2, b1, c1] = [await insert('gone-a'), await insert('gone-a'), await insert('gone-b'), await insert('here-c')];
    expect(await maintenance.markOwnerGone([], 5_000), 'no owners: nothing').to.equal(0);
    expect(await maintenance.markOwnerGone(['gone-a'], 5_000)).to.equal(2);
    expect(await maintenance.markOwnerGone(['gone-a', 'gone-b', 'no-such-key'], 6_000), 'a mark is set once').to.equal(1);
    expect(await listed(false), 'every token without the exclusion').to.deep.equal([a1.id, a2.id, b1.id, c1.id].sort((x, y) => x - y));
    expect(await listed(true), 'the marked ones left out').to.deep.equal([c1.id]);
    expect(await store.countByFilter({ excludeOwnerGone: true, userKeys: ['gone-a', 'gone-b', 'here-c'] })).to.equal(1);
  });
});
