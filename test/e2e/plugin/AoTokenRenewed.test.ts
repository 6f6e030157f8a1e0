// TokenUpgradeTask010 (RENEWED) and the unused-token rule counting from a regeneration, on SQLite,
// MariaDB and PostgreSQL (attack review of 2026-12-04: a token regenerated after its expiry, as the
// expiry mail advises, was deleted as unused days later for a last use before the regeneration).
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import type { AoTokenMaintenanceStore } from '../../../plugin/ao/AoTokenMaintenanceStore';
import type { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { dialectOf, forEachDatabase } from '../../support/databases';
import { useMigrationDatabase } from '../../support/migrationDatabase';
import { insertTestToken, useAoTokenStore } from './support/aoTokenStore';

const TABLE = 'AO_TEST10_TOKEN';

forEachDatabase('TokenUpgradeTask010 (last regeneration)', (kind) => {
  const m = useMigrationDatabase(kind);
  const q = (names: string) => names.split(', ').map((n) => m.ds.driver.escape(n)).join(', ');
  const columns = async () => (await m.runner.getTable(TABLE))?.columns.map((c) => c.name) ?? [];

  it('should add a nullable column (null on existing rows) and drop it again on the way down', async () => {
    const tasks = upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => `AO_TEST10_${upperSnake(entity)}` });
    const last = tasks[9];
    expect(last.name).to.match(/^TokenUpgradeTask010AOTEST10TOKEN\d{13}$/);
    for (const task of tasks.slice(0, 9)) await task.up(m.runner);
    await m.runner.query(`INSERT INTO ${q(TABLE)} (${q('PUBLIC_ID, STRING_ID, USER_KEY, DESCRIPTION, CREATED, CREATED_BY, VALID_UNTIL, SALT, HASH')}) `
      + "VALUES ('old', 'sold', 'u', 'd', 1, 'u', 2, 'aa', 'bb')");
    await last.up(m.runner);
    const rows = await m.runner.query(`SELECT ${q('RENEWED')} FROM ${q(TABLE)}`) as Array<Record<string, unknown>>;
    expect(rows.map((r) => r.RENEWED)).to.deep.equal([null]);
    await last.down(m.runner);
    expect(await columns()).to.not.include('RENEWED');
    await last.up(m.runner);
    expect(await columns()).to.include('RENEWED');
  });
});

forEachDatabase('AoTokenMaintenanceStore: the unused rule counts from the last regeneration', (kind) => {
  const suite = useAoTokenStore(kind, 'aorenewed-');
  let store: AoTokenStore;
  let maintenance: AoTokenMaintenanceStore;
  before(() => {
    ({ store } = suite);
    maintenance = suite.maintenance;
  });

  const insert = (userKey: string) => insertTestToken(store, userKey);
  const rotate = async (id: number, renewedAt: number) => {
    const g = generateToken();
    const salt = newSalt();
    expect((await store.rotate(id, { publicId: g.publicId, salt, hash: hashSecret(salt, g.publicId, g.secret), issuedVia: null, issuedTo: null, renewedAt })).ok).to.equal(true);
  };

  it('should neither find nor delete as unused a token regenerated after the cutoff, used or not before it', async () => {
    const idle = await insert('renew-a');
    const usedLongAgo = await insert('renew-a');
    const renewedLate = await insert('renew-a');
    const renewedEarly = await insert('renew-a');
    await store.recordLastAccess([{ tokenId: usedLongAgo.id, lastAccessed: 5_000, lastIp: '10.0.0.1', useCountDelta: 1 }]);
    await rotate(renewedLate.id, 60_000);
    await rotate(renewedEarly.id, 20_000);
    const found = await maintenance.findUnusedSince(40_000, 1000);
    expect(found).to.include.members([idle.id, usedLongAgo.id, renewedEarly.id]).and.not.include(renewedLate.id);
    // Also when it was regenerated after the query found it.
    await rotate(usedLongAgo.id, 50_000);
    const deleted = await maintenance.deleteMany([idle.id, usedLongAgo.id, renewedEarly.id], { unusedSince: 40_000 });
    expect(deleted.map((t) => t.id).sort((a, b) => a - b)).to.deep.equal([idle.id, renewedEarly.id].sort((a, b) => a - b));
  });
});
