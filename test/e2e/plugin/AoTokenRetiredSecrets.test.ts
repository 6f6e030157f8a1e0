// TokenUpgradeTask007 (the retired-secret table) and the stores' keeping and forgetting of the
// secrets a token had before a regeneration through a token, on SQLite, MariaDB and PostgreSQL.
import { inspect } from 'node:util';
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import type { ActiveObjects } from '../../../host-sim/spi';
import { AoTokenMaintenanceStore } from '../../../plugin/ao/AoTokenMaintenanceStore';
import type { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { TOKEN_ENTITY, TokenColumns } from '../../../plugin/ao/TokenEntity';
import { hashSecret, newSalt, secretMatches } from '../../../plugin/token/SecretHasher';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { dialectOf, forEachDatabase } from '../../support/databases';
import { useMigrationDatabase } from '../../support/migrationDatabase';
import { useAoTokenStore } from './support/aoTokenStore';

forEachDatabase('TokenUpgradeTask007 (retired secrets)', (kind) => {
  const m = useMigrationDatabase(kind);

  it('should come seventh and create the table with a unique public id and an index on the token, dropping it on the way down', async () => {
    const tasks = upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => `AO_TEST07_${upperSnake(entity)}` });
    const seventh = tasks[6];
    expect(seventh.name).to.match(/^TokenUpgradeTask007AOTEST07RETIREDSECRET\d{13}$/);
    expect(Number(String(seventh.name).slice(-13))).to.be.greaterThan(Number(String(tasks[5].name).slice(-13)));
    for (const task of tasks) await task.up(m.runner);
    const table = await m.runner.getTable('AO_TEST07_RETIRED_SECRET');
    expect(table?.columns.map((c) => c.name)).to.have.members(['ID', 'TOKEN_STRING_ID', 'PUBLIC_ID', 'SALT', 'HASH', 'RETIRED', 'RETIRED_VIA']);
    const unique = table?.indices.find((i) => i.name === 'U_AO_TEST07_RETIRED_SECRET_PUBLIC_ID');
    expect(unique?.isUnique).to.equal(true);
    expect(table?.indices.map((i) => i.name)).to.include('IX_AO_TEST07_RETIRED_SECRET_TOKEN_STRING_ID');
    await seventh.down(m.runner);
    expect(await m.runner.hasTable('AO_TEST07_RETIRED_SECRET')).to.equal(false);
    expect(await m.runner.hasTable('AO_TEST07_TOKEN'), 'the token table stays').to.equal(true);
    await seventh.up(m.runner);
    expect(await m.runner.hasTable('AO_TEST07_RETIRED_SECRET')).to.equal(true);
  });
});

forEachDatabase('AoTokenStore: retired secrets', (kind) => {
  const suite = useAoTokenStore(kind, 'aoretired-');
  let store: AoTokenStore;
  let ao: ActiveObjects;
  before(() => {
    ({ store } = suite);
    ao = suite.runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects;
  });

  const insert = async (userKey: string, issuedVia: number | null = null) => {
    const g = generateToken();
    const salt = newSalt();
    const inserted = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey, description: 'd', created: 1, createdBy: userKey,
      validUntil: 5000, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null, issuedVia }, 100);
    if (!inserted.ok) throw new Error('insert');
    return { token: inserted.token, secret: g };
  };
  /**
   * Regenerates `id`; through token `via` when given (the old secret is retired), else as a
   * password would. A token regenerating itself keeps its link (as the token service decides).
   */
  const rotate = async (id: number, via?: number, issuedVia: number | null = via ?? null) => {
    const g = generateToken();
    const salt = newSalt();
    await store.rotate(id, {
      publicId: g.publicId, salt, hash: hashSecret(salt, g.publicId, g.secret), issuedVia, issuedTo: null, ...(via === undefined ? {} : { retiredVia: { tokenId: via, at: 42 } }),
    });
    return g;
  };
  const retiredIds = async (publicIds: string[]) => (await store.findRetiredCredentials(publicIds)).map((c) => [c.publicId, c.tokenId]);

  it('should keep every secret replaced through a token, matching its old secret, and none replaced otherwise', async () => {
    const { token, secret: first } = await insert('alice');
    const second = await rotate(token.id, token.id);
    const third = await rotate(token.id, token.id);
    const fourth = await rotate(token.id);
    expect(await retiredIds([first.publicId, second.publicId, third.publicId, fourth.publicId, 'ZZZZZZZZZZZZ'])).to.have.deep.members([
      [first.publicId, token.id], [second.publicId, token.id],
    ]);
    const [retired] = await store.findRetiredCredentials([first.publicId]);
    expect(secretMatches(retired.saltHex, retired.hashHex, first.publicId, first.secret)).to.equal(true);
    expect(secretMatches(retired.saltHex, retired.hashHex, first.publicId, second.secret)).to.equal(false);
    expect(JSON.stringify(retired)).to.not.match(/hash|salt/i).and.to.not.include(retired.hashHex);
    expect(inspect(retired)).to.not.include(retired.hashHex);
    expect(await store.findCredentials([first.publicId]), 'never a credential that authenticates').to.deep.equal([]);
  });

  it('should forget a token\'s retired secrets with every way of deleting it', async () => {
    const parent = await insert('bob');
    const child = await insert('bob', parent.token.id);
    const pruned = await insert('bob');
    const single = await insert('carol');
    const all = await insert('dave');
    const retired = [];
    for (const t of [parent, child, pruned, single, all]) {
      retired.push(t.secret.publicId);
      await rotate(t.token.id, t.token.id, t.token.issuedVia);
    }
    expect(await retiredIds(retired)).to.have.length(5);
    await store.deleteWithIssued([parent.token.id]);
    expect(await retiredIds([parent.secret.publicId, child.secret.publicId]), 'deleted and issued through it').to.deep.equal([]);
    await new AoTokenMaintenanceStore(ao).deleteMany([pruned.token.id]);
    await store.delete(single.token.id);
    await store.deleteAllForUser('dave');
    expect(await retiredIds(retired)).to.deep.equal([]);
  });

  it('should leave out a retired secret whose token is gone, and never name a token created later', async () => {
    const { token, secret } = await insert('erin');
    await rotate(token.id, token.id);
    // As if a deletion had bypassed the store: the row stays, but names no token any more.
    await ao.deleteWithSQL(TOKEN_ENTITY, `${TokenColumns.ID} = ?`, [token.id]);
    await insert('erin');
    expect(await retiredIds([secret.publicId])).to.deep.equal([]);
  });
});
