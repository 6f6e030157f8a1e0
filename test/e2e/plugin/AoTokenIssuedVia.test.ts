// TokenUpgradeTask006 (the ISSUED_VIA column) and the store's revocation of what was issued
// through a token, on SQLite, MariaDB and PostgreSQL.
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import { AoTokenMaintenanceStore } from '../../../plugin/ao/AoTokenMaintenanceStore';
import type { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { dialectOf, forEachDatabase } from '../../support/databases';
import { useMigrationDatabase } from '../../support/migrationDatabase';
import { useAoTokenStore } from './support/aoTokenStore';

const TABLE = 'AO_TEST06_TOKEN';

forEachDatabase('TokenUpgradeTask006 (issued via)', (kind) => {
  const m = useMigrationDatabase(kind);
  const q = (names: string) => names.split(', ').map((n) => m.ds.driver.escape(n)).join(', ');
  const insert = (publicId: string, extra = '', value = '') => m.runner.query(
    `INSERT INTO ${q(TABLE)} (${q(`PUBLIC_ID, STRING_ID, USER_KEY, DESCRIPTION, CREATED, CREATED_BY, VALID_UNTIL, SALT, HASH${extra}`)}) `
    + `VALUES ('${publicId}', 's${publicId}', 'u', 'd', 1, 'u', 2, 'aa', 'bb'${value})`);

  it('should add a nullable, indexed ISSUED_VIA (null on existing rows) and drop it again on the way down', async () => {
    const tasks = upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => `AO_TEST06_${upperSnake(entity)}` });
    const last = tasks[5];
    expect(last.name).to.match(/^TokenUpgradeTask006AOTEST06TOKEN\d{13}$/);
    for (const task of tasks.slice(0, 5)) await task.up(m.runner);
    await insert('old');
    await last.up(m.runner);
    await insert('new', ', ISSUED_VIA', ', 1');
    const rows = await m.runner.query(`SELECT ${q('PUBLIC_ID, ISSUED_VIA')} FROM ${q(TABLE)} ORDER BY ${q('ID')}`) as Array<{ PUBLIC_ID: string; ISSUED_VIA: number | string | null }>;
    expect(rows.map((r) => [r.PUBLIC_ID, r.ISSUED_VIA === null ? null : Number(r.ISSUED_VIA)])).to.deep.equal([['old', null], ['new', 1]]);
    const table = await m.runner.getTable(TABLE);
    expect(table?.columns.find((c) => c.name === 'ISSUED_VIA')?.isNullable).to.equal(true);
    expect(table?.indices.map((i) => i.name)).to.include(`IX_${TABLE}_ISSUED_VIA`);
    // Refused while a token names its issuer (review of 2026-12-04, crossVersionDataAttacks).
    expect(await last.down(m.runner).then(() => 'dropped', (err: Error) => err.name)).to.equal('DowngradeWouldWidenTokens');
    await m.runner.query(`UPDATE ${q(TABLE)} SET ${q('ISSUED_VIA')} = NULL`);
    await last.down(m.runner);
    const after = await m.runner.getTable(TABLE);
    expect(after?.columns.map((c) => c.name)).not.to.include('ISSUED_VIA');
    expect(after?.indices.map((i) => i.name)).not.to.include(`IX_${TABLE}_ISSUED_VIA`);
    await last.up(m.runner);
    expect((await m.runner.getTable(TABLE))?.columns.map((c) => c.name)).to.include('ISSUED_VIA');
  });
});

forEachDatabase('AoTokenStore: what was issued through a token goes with it', (kind) => {
  const suite = useAoTokenStore(kind, 'aoissued-');
  let store: AoTokenStore;
  before(() => { ({ store } = suite); });

  const insert = async (userKey: string, issuedVia: number | null | undefined) => {
    const g = generateToken();
    const salt = newSalt();
    const inserted = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey, description: 'd', created: 1, createdBy: userKey,
      validUntil: 5000, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null, ...(issuedVia === undefined ? {} : { issuedVia }) }, 100);
    if (!inserted.ok) throw new Error('insert');
    return inserted.token;
  };
  const rotate = (id: number, issuedVia: number | null) => {
    const g = generateToken();
    const salt = newSalt();
    return store.rotate(id, { publicId: g.publicId, salt, hash: hashSecret(salt, g.publicId, g.secret), issuedVia, issuedTo: null });
  };
  const exists = async (id: number) => (await store.get(id)) !== null;

  it('should keep issuedVia on insert (absent: null) and set or clear it on rotate', async () => {
    const parent = await insert('alice', undefined);
    expect(parent.issuedVia).to.equal(null);
    const child = await insert('alice', parent.id);
    expect(child.issuedVia).to.equal(parent.id);
    const cleared = await rotate(child.id, null);
    const set = await rotate(child.id, parent.id);
    if (!cleared.ok || !set.ok) expect.fail('both regenerations apply');
    expect(cleared.token.issuedVia).to.equal(null);
    expect(set.token.issuedVia).to.equal(parent.id);
  });

  it('should delete a token again, with what was issued through it, when the issuer its regeneration names is gone', async () => {
    const issuer = await insert('frank', null);
    const regenerated = await insert('frank', null);
    const offspring = await insert('frank', regenerated.id);
    await store.deleteWithIssued([issuer.id]);
    const result = await rotate(regenerated.id, issuer.id);
    if (result.ok || result.reason !== 'ISSUER_GONE') return expect.fail(JSON.stringify(result));
    expect(result.previousPublicId).to.equal(regenerated.publicId);
    expect(result.deleted.map((t) => t.id).sort((a, b) => a - b)).to.deep.equal([regenerated.id, offspring.id].sort((a, b) => a - b));
    expect(await exists(regenerated.id)).to.equal(false);
    expect(await exists(offspring.id)).to.equal(false);
  });

  it('should answer NOT_FOUND for a regeneration of a token that does not exist, and keep a self-issued link', async () => {
    expect(await rotate(987654321, null)).to.deep.equal({ ok: false, reason: 'NOT_FOUND' });
    const own = await insert('frank', null);
    const self = await rotate(own.id, own.id);
    if (!self.ok) return expect.fail(self.reason);
    expect(self.token.issuedVia).to.equal(own.id);
  });

  it('should delete what was issued through the deleted tokens, recursively and across owners, and nothing else', async () => {
    const root = await insert('alice', null);
    const child = await insert('alice', root.id);
    const onBehalf = await insert('bob', root.id);
    const grandchild = await insert('alice', child.id);
    const regenerated = await insert('alice', null);
    await rotate(regenerated.id, grandchild.id);
    const unrelated = await insert('alice', null);
    const deleted = await store.deleteWithIssued([root.id]);
    expect(deleted[0].id, 'the requested one first').to.equal(root.id);
    expect(deleted.map((t) => t.id).sort((a, b) => a - b)).to.deep.equal([root.id, child.id, onBehalf.id, grandchild.id, regenerated.id].sort((a, b) => a - b));
    expect(await exists(unrelated.id)).to.equal(true);
    for (const t of [root, child, onBehalf, grandchild, regenerated]) expect(await exists(t.id), String(t.id)).to.equal(false);
  });

  it('should end on a cycle (each regenerated through the other)', async () => {
    const a = await insert('carol', null);
    const b = await insert('carol', a.id);
    await rotate(a.id, b.id);
    const deleted = await store.deleteWithIssued([a.id]);
    expect(deleted.map((t) => t.id).sort((x, y) => x - y)).to.deep.equal([a.id, b.id].sort((x, y) => x - y));
  });

  it('should delete what was issued through any of a user\'s tokens with deleteAllForUser', async () => {
    const own = await insert('dave', null);
    const other = await insert('erin', own.id);
    const deleted = await store.deleteAllForUser('dave');
    expect(deleted.map((t) => t.id)).to.deep.equal([own.id, other.id]);
    expect(await exists(other.id)).to.equal(false);
  });

  it('should leave what was issued through a pruned token (deleteMany) and clear its link', async () => {
    const parent = await insert('frank', null);
    const child = await insert('frank', parent.id);
    expect((await store.deleteMany([parent.id])).map((t) => t.id)).to.deep.equal([parent.id]);
    expect((await store.get(child.id))?.issuedVia).to.equal(null);
  });

  it('should not let the pruner delete a token through which a token was issued since it was found (maintenance store)', async () => {
    // Attack review 2026-12-04: minted through an idle token between the pruner's query and its
    // deletion, the child lost its link and escaped the revocation of the leaked parent.
    const parent = await insert('hank', null);
    const child = await insert('hank', parent.id);
    const maintenance = new AoTokenMaintenanceStore(suite.runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects);
    expect(await maintenance.deleteMany([parent.id])).to.deep.equal([]);
    expect(await exists(parent.id)).to.equal(true);
    expect((await store.get(child.id))?.issuedVia).to.equal(parent.id);
  });

  it('should delete nothing for ids that name no token', async () => {
    const orphanFree = await insert('gina', null);
    expect(await store.deleteWithIssued([0])).to.deep.equal([]);
    expect(await store.deleteWithIssued([987654321])).to.deep.equal([]);
    expect(await exists(orphanFree.id)).to.equal(true);
  });
});
