// The token store and its schema on the host's real Active Objects, on SQLite and MariaDB.
import { expect } from 'chai';
import { DataSource } from 'typeorm';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import type { HostRuntime } from '../../../host-sim/impl/HostRuntime';
import { AoTokenMaintenanceStore } from '../../../plugin/ao/AoTokenMaintenanceStore';
import type { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import type { NewTokenRecord } from '../../../plugin/ao/TokenStore';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { dialectOf, forEachDatabase } from '../../support/databases';
import { useAoTokenStore } from './support/aoTokenStore';

function record(userKey: string, overrides: Partial<NewTokenRecord> = {}): NewTokenRecord {
  const g = generateToken();
  const salt = newSalt();
  return { publicId: g.publicId, stringId: generateStringId(), userKey, description: 'd', created: 1000, createdBy: userKey,
    validUntil: 5000, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null, ...overrides };
}

forEachDatabase('AoTokenStore on the host database', (kind) => {
  const suite = useAoTokenStore(kind, 'aostore-');
  let runtime: HostRuntime;
  let store: AoTokenStore;
  before(() => { ({ runtime, store } = suite); });

  it('should insert, read back and find a credential by public id', async () => {
    const r = record('u1', { description: 'Ünïcødé 🚀 token', restrictions: '{"rules":[],"ipAllowlist":["10.0.0.1"]}' });
    const inserted = await store.insert(r, 10);
    expect(inserted.ok).to.equal(true);
    if (!inserted.ok) return;
    const back = await store.get(inserted.token.id);
    expect(back).to.deep.include({ userKey: 'u1', description: 'Ünïcødé 🚀 token', validUntil: 5000, scope: 2, lastAccessed: 0, useCount: 0, version: 1 });
    const credential = await store.findCredential(r.publicId);
    expect(credential?.hashHex).to.equal(r.hash.toString('hex'));
    expect(credential?.saltHex).to.equal(r.salt.toString('hex'));
    expect(await store.getByStringId(r.stringId)).to.deep.equal(back);
  });

  it('should read every credential field the row holds, by one public id and by a batch', async () => {
    const restrictions = '{"rules":[{"methods":["GET"],"urlPattern":".*"}],"ipAllowlist":["10.0.0.0/8"]}';
    const r = record('u-cred', { description: 'credential fields', validUntil: 7777, scope: 1, restrictions });
    const inserted = await store.insert(r, 10);
    if (!inserted.ok) throw new Error('not inserted');
    const maintenance = new AoTokenMaintenanceStore(runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects);
    expect(await maintenance.compareAndSetKnownIps(inserted.token.id, null, '["10.0.0.7"]')).to.equal(true);
    const row = await store.get(inserted.token.id);
    if (!row) throw new Error('row not read back');
    const expected = {
      tokenId: row.id, publicId: row.publicId, userKey: 'u-cred', description: 'credential fields', validUntil: 7777, scope: 1,
      restrictions, version: row.version, sudo: false, stringId: r.stringId, knownIps: '["10.0.0.7"]',
      saltHex: r.salt.toString('hex'), hashHex: r.hash.toString('hex'),
    };
    const one = await store.findCredential(r.publicId);
    const [batched] = await store.findCredentials([r.publicId, generateToken().publicId]);
    for (const credential of [one, batched]) {
      if (!credential) throw new Error('credential not found');
      const { saltHex, hashHex } = credential;
      // The audit and cache notes are this node's, not the row's: a credential just read has none.
      const { auditNotedBy, auditedIp, auditedAt, cachedUntil, ...fields } = { ...credential, saltHex, hashHex };
      expect(fields).to.deep.equal(expected);
      expect([auditNotedBy, auditedIp, auditedAt, cachedUntil]).to.deep.equal([null, '', 0, 0]);
    }
  });

  it('should carry KNOWN_IPS in the credential as the row holds it', async () => {
    const ao = runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects;
    const maintenance = new AoTokenMaintenanceStore(ao);
    const r = record('ips-user');
    const inserted = await store.insert(r, 10);
    if (!inserted.ok) throw new Error('not inserted');
    expect((await store.findCredential(r.publicId))?.knownIps).to.equal(null);
    expect(await maintenance.compareAndSetKnownIps(inserted.token.id, null, '["10.0.0.1","2001:db8::1"]')).to.equal(true);
    expect((await store.findCredential(r.publicId))?.knownIps).to.equal('["10.0.0.1","2001:db8::1"]');
    expect((await store.findCredentials([r.publicId]))[0].knownIps).to.equal('["10.0.0.1","2001:db8::1"]');
  });

  it('should hold the per-user quota under concurrent inserts', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => store.insert(record('quota-user'), 4)));
    expect(results.filter((r) => r.ok)).to.have.length(4);
    expect(await store.countByUser('quota-user')).to.equal(4);
  });

  it('should filter, sort by valid-until then id, and page', async () => {
    for (const [i, v] of [30, 10, 20, 10].entries()) await store.insert(record('f-user', { validUntil: v * 1000, description: `Filter ${i} 100%_x`, created: i }), 100);
    const page = await store.findByFilter({ userKeys: ['f-user'] }, 0, 3);
    expect(page.total).to.equal(4);
    expect(page.tokens.map((t) => t.validUntil)).to.deep.equal([10000, 10000, 20000]);
    expect(page.tokens[0].id).to.be.below(page.tokens[1].id);
    expect((await store.findByFilter({ userKeys: ['f-user'], descriptionContains: 'FILTER 1' }, 0, 50)).total).to.equal(1);
    expect((await store.findByFilter({ userKeys: ['f-user'], descriptionContains: '100%_' }, 0, 50)).total).to.equal(4);
    expect((await store.findByFilter({ userKeys: ['f-user'], descriptionContains: '%' }, 0, 50)).total).to.equal(4);
    expect((await store.findByFilter({ userKeys: ['f-user'], descriptionContains: 'x%' }, 0, 50)).total).to.equal(0);
    expect((await store.findByFilter({ userKeys: ['f-user'], notValidAfter: 10000, createdFrom: 2 }, 0, 50)).total).to.equal(1);
  });

  it('should count a filter over id slices exactly as one COUNT does', async () => {
    for (let i = 0; i < 7; i++) await store.insert(record('slice-user', { description: i % 2 === 0 ? `Nightly ${i}` : `other ${i}` }), 100);
    const filters = [{ userKeys: ['slice-user'], descriptionContains: 'nightly' }, { userKeys: ['slice-user'] }, { descriptionContains: 'no such text' }, {},
      // Owners the caller may not see stay out of every slice, as out of one COUNT.
      { descriptionContains: 'nightly', excludeUserKeys: ['slice-user'] }];
    for (const filter of filters) {
      const total = await store.countByFilter(filter);
      for (const slice of [1, 2, 3, 50_000]) expect(await store.countByFilterInSlices(filter, slice), JSON.stringify(filter)).to.equal(total);
    }
    expect(await store.countByFilter(filters[0])).to.equal(4);
    expect(await store.countByFilterInSlices(filters[4], 1)).to.equal(await store.countByFilter(filters[4]));
    for (const cap of [0, 2, 3, 4, 10]) expect(await store.countByFilterUpTo(filters[0], cap), `cap ${cap}`).to.equal(Math.min(4, cap + 1));
  });

  it('should merge last access with MAX and add use counts', async () => {
    const r = await store.insert(record('la-user'), 100);
    if (!r.ok) throw new Error('insert');
    await store.recordLastAccess([{ tokenId: r.token.id, lastAccessed: 9000, lastIp: '10.0.0.9', useCountDelta: 3 }]);
    await store.recordLastAccess([{ tokenId: r.token.id, lastAccessed: 8000, lastIp: '10.0.0.8', useCountDelta: 2 }]);
    expect(await store.get(r.token.id)).to.include({ lastAccessed: 9000, lastIp: '10.0.0.9', useCount: 5 });
  });

  it('should rotate the credential, and delete one or all tokens of a user', async () => {
    const r = await store.insert(record('rot-user'), 100);
    if (!r.ok) throw new Error('insert');
    const g = generateToken();
    const salt = newSalt();
    const rotated = await store.rotate(r.token.id, { publicId: g.publicId, salt, hash: hashSecret(salt, g.publicId, g.secret), issuedVia: null, issuedTo: null });
    if (!rotated.ok) expect.fail(rotated.reason);
    expect(rotated.previousPublicId).to.equal(r.token.publicId);
    expect(rotated.token.version).to.equal(2);
    expect(await store.findCredential(r.token.publicId)).to.equal(null);
    await store.insert(record('rot-user'), 100);
    expect((await store.deleteAllForUser('rot-user')).length).to.equal(2);
    expect(await store.delete(r.token.id)).to.equal(false);
  });

  it('should write a change of limits or a rotation only over the version the caller read', async () => {
    const r = await store.insert(record('version-user'), 100);
    if (!r.ok) throw new Error('insert');
    const read = r.token.version;
    const narrowed = await store.updateLimits(r.token.id, { scope: 1 }, read);
    if (!narrowed.ok) expect.fail(narrowed.reason);
    // Both computed from the row as it was before the narrowing: nothing is written.
    expect(await store.updateLimits(r.token.id, { restrictions: null, scope: 2 }, read)).to.deep.equal({ ok: false, reason: 'CHANGED' });
    const g = generateToken();
    const salt = newSalt();
    const stale = await store.rotate(r.token.id, { publicId: g.publicId, salt, hash: hashSecret(salt, g.publicId, g.secret), issuedVia: null, issuedTo: null, expectedVersion: read });
    expect(stale).to.deep.equal({ ok: false, reason: 'CHANGED' });
    const now = (await store.get(r.token.id))!;
    expect(now).to.include({ scope: 1, publicId: r.token.publicId, version: narrowed.token.version });
    expect(await store.findCredential(g.publicId)).to.equal(null);
    expect(await store.updateLimits(r.token.id, { scope: 1 }, now.version)).to.have.property('ok', true);
    expect(await store.updateLimits(987_654, { scope: 1 }, 1)).to.deep.equal({ ok: false, reason: 'NOT_FOUND' });
  });

  it('should serialise concurrent changes of one token: each rotation names the secret it really replaced, no change is lost', async () => {
    // From the second attack review of session 12: two rotations read the row without a lock,
    // so on MariaDB and PostgreSQL both named the original public id as the one they replaced,
    // and the first rotation's new public id was never invalidated in the nodes' caches.
    const r = await store.insert(record('race-user'), 100);
    if (!r.ok) throw new Error('insert');
    const fresh = () => {
      const g = generateToken();
      const salt = newSalt();
      return { publicId: g.publicId, salt, hash: hashSecret(salt, g.publicId, g.secret), issuedVia: null, issuedTo: null };
    };
    for (let round = 0; round < 5; round++) {
      const before = (await store.get(r.token.id))!;
      const [a, b] = [fresh(), fresh()];
      const [rotatedA, rotatedB, rl] = await Promise.all([store.rotate(r.token.id, a), store.rotate(r.token.id, b), store.updateLimits(r.token.id, { scope: round % 2 === 0 ? 1 : 2 })]);
      if (!rotatedA.ok || !rotatedB.ok) expect.fail(`round ${round}: both regenerations apply`);
      const [ra, rb] = [rotatedA, rotatedB];
      const replaced = [ra.previousPublicId, rb.previousPublicId].sort();
      // One of them replaced the row as it was, the other the first one's new credential.
      const firstWasA = ra.previousPublicId === before.publicId;
      expect(replaced, `round ${round}`).to.deep.equal([before.publicId, firstWasA ? a.publicId : b.publicId].sort());
      const after = (await store.get(r.token.id))!;
      expect(after.publicId).to.equal(firstWasA ? b.publicId : a.publicId);
      expect(after.version, 'three changes, three versions').to.equal(before.version + 3);
      expect(rl.ok && rl.token.scope).to.equal(round % 2 === 0 ? 1 : 2);
    }
  });

  it('should create the table with its indexes and drop it again (up and down)', async () => {
    const ds = kind === 'sqlite'
      ? new DataSource({ type: 'better-sqlite3', database: suite.dbUrl.slice('sqlite:'.length) })
      : new DataSource({ type: kind === 'postgres' ? 'postgres' : 'mysql', url: suite.dbUrl });
    await ds.initialize();
    try {
      const tasks = upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => `AO_TEST01_${upperSnake(entity)}` });
      const runner = ds.createQueryRunner();
      await tasks[0].up(runner);
      const table = await runner.getTable('AO_TEST01_TOKEN');
      expect(table?.indices.map((i) => i.name).sort()).to.include.members(['IX_AO_TEST01_TOKEN_USER_KEY', 'IX_AO_TEST01_TOKEN_VALID_UNTIL', 'U_AO_TEST01_TOKEN_PUBLIC_ID']);
      await tasks[0].down(runner);
      expect(await runner.hasTable('AO_TEST01_TOKEN')).to.equal(false);
      await runner.release();
      expect(tasks[0].name).to.match(/^TokenUpgradeTask001AOTEST01TOKEN\d{13}$/);
    } finally {
      await ds.destroy();
    }
  });
});
