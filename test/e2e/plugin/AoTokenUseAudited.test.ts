// TokenUpgradeTask009 (USE_AUDITED_AT, USE_AUDITED_IP) and the last-access flush's merge of the
// last audited use into them, on SQLite, MariaDB and PostgreSQL: MariaDB applies a multiple-table
// UPDATE's assignments in no set order, so the time and its IP must agree whichever goes first.
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import type { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { dialectOf, forEachDatabase } from '../../support/databases';
import { useMigrationDatabase } from '../../support/migrationDatabase';
import { useAoTokenStore } from './support/aoTokenStore';

const TABLE = 'AO_TEST09_TOKEN';

forEachDatabase('TokenUpgradeTask009 (last audited use)', (kind) => {
  const m = useMigrationDatabase(kind);
  const q = (names: string) => names.split(', ').map((n) => m.ds.driver.escape(n)).join(', ');
  const columns = async () => (await m.runner.getTable(TABLE))?.columns.map((c) => c.name) ?? [];

  it('should add two nullable columns (null on existing rows) and drop them again on the way down', async () => {
    const tasks = upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => `AO_TEST09_${upperSnake(entity)}` });
    const last = tasks[8];
    expect(last.name).to.match(/^TokenUpgradeTask009AOTEST09TOKEN\d{13}$/);
    for (const task of tasks.slice(0, 8)) await task.up(m.runner);
    await m.runner.query(`INSERT INTO ${q(TABLE)} (${q('PUBLIC_ID, STRING_ID, USER_KEY, DESCRIPTION, CREATED, CREATED_BY, VALID_UNTIL, SALT, HASH')}) `
      + "VALUES ('old', 'sold', 'u', 'd', 1, 'u', 2, 'aa', 'bb')");
    await last.up(m.runner);
    const rows = await m.runner.query(`SELECT ${q('USE_AUDITED_AT, USE_AUDITED_IP')} FROM ${q(TABLE)}`) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.USE_AUDITED_AT, r.USE_AUDITED_IP])).to.deep.equal([[null, null]]);
    await last.down(m.runner);
    expect(await columns()).to.not.include.members(['USE_AUDITED_AT']).and.not.include.members(['USE_AUDITED_IP']);
    await last.up(m.runner);
    expect(await columns()).to.include.members(['USE_AUDITED_AT', 'USE_AUDITED_IP']);
  });
});

forEachDatabase('AoTokenStore: the last audited use of a token', (kind) => {
  const suite = useAoTokenStore(kind, 'aoaudited-');
  let store: AoTokenStore;
  before(() => { ({ store } = suite); });

  const insert = async () => {
    const g = generateToken();
    const salt = newSalt();
    const inserted = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey: 'alice', description: 'd', created: 1, createdBy: 'alice',
      validUntil: 5_000_000, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null }, 100);
    if (!inserted.ok) throw new Error('insert');
    return inserted.token;
  };
  const audited = async (publicId: string) => {
    const c = await store.findCredential(publicId);
    const [batched] = await store.findCredentials([publicId]);
    expect([batched.auditedIp, batched.auditedAt], 'the batched read agrees').to.deep.equal([c!.auditedIp, c!.auditedAt]);
    return [c!.auditedIp, c!.auditedAt];
  };
  const flush = (tokenId: number, at: number, ip: string, auditedAt?: number) =>
    store.recordLastAccess([{ tokenId, lastAccessed: at, lastIp: ip, useCountDelta: 1, ...(auditedAt === undefined ? {} : { auditedAt, auditedIp: ip }) }]);

  it('should read no audit for a new token, then the latest audited use with its own IP, never an older one', async () => {
    const t = await insert();
    expect(await audited(t.publicId)).to.deep.equal(['', 0]);
    await flush(t.id, 1000, '10.0.0.1', 1000);
    expect(await audited(t.publicId)).to.deep.equal(['10.0.0.1', 1000]);
    await flush(t.id, 3000, '10.0.0.2', 2000);
    expect(await audited(t.publicId)).to.deep.equal(['10.0.0.2', 2000]);
    await flush(t.id, 4000, '10.0.0.3', 1500);
    expect(await audited(t.publicId), 'an older audit from a slower node').to.deep.equal(['10.0.0.2', 2000]);
    await flush(t.id, 5000, '10.0.0.4');
    expect(await audited(t.publicId), 'a flush that audited nothing').to.deep.equal(['10.0.0.2', 2000]);
    expect(await store.get(t.id)).to.include({ lastAccessed: 5000, lastIp: '10.0.0.4', useCount: 4 });
  });

  it('should merge many tokens of one flush, each with or without an audited use', async () => {
    const a = await insert();
    const b = await insert();
    await store.recordLastAccess([
      { tokenId: a.id, lastAccessed: 100, lastIp: '10.0.0.1', useCountDelta: 2, auditedAt: 90, auditedIp: '10.0.0.9' },
      { tokenId: b.id, lastAccessed: 200, lastIp: '10.0.0.2', useCountDelta: 1, auditedAt: 0, auditedIp: '' },
    ]);
    expect(await audited(a.publicId)).to.deep.equal(['10.0.0.9', 90]);
    expect(await audited(b.publicId)).to.deep.equal(['', 0]);
  });
});
