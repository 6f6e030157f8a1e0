// The maintenance queries and compare-and-set updates on the host's real Active Objects, on
// SQLite and MariaDB.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { aoTableName } from '../../../host-sim/impl/ao/aoNaming';
import { loadConfig } from '../../../host-sim/config';
import { createHostRuntime } from '../../../host-sim/impl/createHostRuntime';
import type { HostRuntime } from '../../../host-sim/impl/HostRuntime';
import { AoTokenMaintenanceStore } from '../../../plugin/ao/AoTokenMaintenanceStore';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import type { Token } from '../../../plugin/ao/Token';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { createTestDatabase, dialectOf, forEachDatabase, type TestDatabase } from '../../support/databases';
import { ROOT } from '../../support/hostServer';

forEachDatabase('AoTokenMaintenanceStore on the host database', (kind) => {
  let db: TestDatabase;
  let runtime: HostRuntime;
  let tokens: AoTokenStore;
  let store: AoTokenMaintenanceStore;
  let dataDir: string;

  const insert = async (userKey: string | null, fields: { created?: number; validUntil?: number; issuedVia?: number } = {}): Promise<Token> => {
    const g = generateToken();
    const salt = newSalt();
    const result = await tokens.insert({
      publicId: g.publicId, stringId: generateStringId(), userKey, description: 'd', created: fields.created ?? 1000, createdBy: 'admin',
      validUntil: fields.validUntil ?? 5000, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null,
      issuedVia: fields.issuedVia ?? null,
    }, 1000);
    if (!result.ok) throw new Error('insert failed');
    return result.token;
  };

  before(async () => {
    db = await createTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aomaint-'));
    const config = loadConfig({ NODE_ENV: 'test', PRODUCT: 'jira', PORT: '0', DB_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, ROOT);
    const migrations = upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => aoTableName('AO_5D4005', entity) });
    runtime = await createHostRuntime(config, { extraMigrations: migrations });
    const ao = runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects;
    tokens = new AoTokenStore(ao);
    store = new AoTokenMaintenanceStore(ao);
  });
  after(async () => {
    await runtime?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await db?.drop();
  });

  it('should set NOTIFICATION_STATE only when it still has the expected value and the token the expiry read', async () => {
    const t = await insert('cas1');
    expect(await store.compareAndSetNotificationState(t.id, null, '{"warned":[7],"expired":false}', t.validUntil)).to.equal(true);
    expect(await store.compareAndSetNotificationState(t.id, null, '{"warned":[1],"expired":false}', t.validUntil)).to.equal(false);
    // Another term (a regeneration meanwhile): nothing is claimed for the old one.
    expect(await store.compareAndSetNotificationState(t.id, '{"warned":[7],"expired":false}', '{"warned":[7,1],"expired":false}', t.validUntil + 1)).to.equal(false);
    expect(await store.compareAndSetNotificationState(t.id, '{"warned":[7],"expired":false}', '{"warned":[7,1],"expired":false}', t.validUntil)).to.equal(true);
    expect((await tokens.get(t.id))!.notificationState).to.equal('{"warned":[7,1],"expired":false}');
  });

  it('should let exactly one of several concurrent compare-and-set updates of KNOWN_IPS win', async () => {
    const t = await insert('cas2');
    const results = await Promise.all(['["a"]', '["b"]', '["c"]'].map((next) => store.compareAndSetKnownIps(t.id, null, next)));
    expect(results.filter(Boolean)).to.have.length(1);
  });

  it('should page owned tokens by valid-until and id within a window', async () => {
    const base = 1_000_000_000;
    const made = [];
    for (const v of [base + 30, base + 10, base + 20, base + 20, base + 99999]) made.push(await insert('page', { validUntil: v }));
    await insert(null, { validUntil: base + 15 });
    const first = await store.findExpiringBetween(base, base + 100, null, 2);
    const last = first[first.length - 1];
    const second = await store.findExpiringBetween(base, base + 100, { validUntil: last.validUntil, id: last.id }, 10);
    const order = [...first, ...second].map((t) => t.validUntil);
    expect(order).to.deep.equal([base + 10, base + 20, base + 20, base + 30]);
    expect([...first, ...second].every((t) => t.userKey === 'page')).to.equal(true);
  });

  it('should find expired and unused tokens and delete each one for one caller only', async () => {
    const expired = await insert('prune', { created: 1, validUntil: 10 });
    const unusedOld = await insert('prune', { created: 2, validUntil: 9_000_000_000_000 });
    const used = await insert('prune', { created: 2, validUntil: 9_000_000_000_000 });
    await tokens.recordLastAccess([{ tokenId: used.id, lastAccessed: 50_000, lastIp: '10.0.0.1', useCountDelta: 1 }]);
    expect(await store.findExpiredBefore(11, 100)).to.include(expired.id);
    const unused = await store.findUnusedSince(40_000, 1000);
    expect(unused).to.include(unusedOld.id).and.not.include(used.id);
    const ids = [expired.id, unusedOld.id];
    const [a, b] = await Promise.all([store.deleteMany(ids), store.deleteMany(ids)]);
    expect([...a, ...b].map((t) => t.id).sort((x, y) => x - y)).to.deep.equal(ids.sort((x, y) => x - y));
    expect(await tokens.get(expired.id)).to.equal(null);
    expect(await store.findIdsByUser('prune')).to.deep.equal([used.id]);
  });

  it('should delete only the tokens that still meet the rule they were found by when the deletion runs', async () => {
    const stale = await insert('recheck', { created: 2, validUntil: 10 });
    const renewed = await insert('recheck', { created: 2, validUntil: 10 });
    const usedSince = await insert('recheck', { created: 2, validUntil: 9_000_000_000_000 });
    // Found as expired (or unused), then regenerated or used before the deletion ran.
    const g = generateToken();
    const salt = newSalt();
    expect((await tokens.rotate(renewed.id, { publicId: g.publicId, salt, hash: hashSecret(salt, g.publicId, g.secret), issuedVia: null, issuedTo: null, validUntil: 9_000_000_000_000 })).ok).to.equal(true);
    await tokens.recordLastAccess([{ tokenId: usedSince.id, lastAccessed: 60_000, lastIp: '10.0.0.2', useCountDelta: 1 }]);
    expect((await store.deleteMany([stale.id, renewed.id], { expiredBefore: 11 })).map((t) => t.id)).to.deep.equal([stale.id]);
    expect(await store.deleteMany([usedSince.id], { unusedSince: 40_000 })).to.deep.equal([]);
    expect(await store.findIdsByUser('recheck')).to.deep.equal([renewed.id, usedSince.id]);
  });

  it('should leave tokens through which existing tokens were issued to the issuer queries, and expire them', async () => {
    const far = 9_000_000_000_000;
    const expiredIssuer = await insert('issuers', { created: 1, validUntil: 10 });
    await insert('issuers', { created: 1, validUntil: 10, issuedVia: expiredIssuer.id });
    const unusedIssuer = await insert('issuers', { created: 2, validUntil: far });
    const child = await insert('issuers', { created: 2, validUntil: far, issuedVia: unusedIssuer.id });
    const plain = await insert('issuers', { created: 2, validUntil: far });
    expect(await store.findExpiredBefore(11, 1000)).to.not.include(expiredIssuer.id);
    const unused = await store.findUnusedSince(40_000, 1000);
    expect(unused).to.include(plain.id).and.to.include(child.id);
    expect(unused).to.not.include(unusedIssuer.id);
    expect(await store.findUnusedIssuersSince(40_000, 50_000, 1000)).to.deep.equal([unusedIssuer.id]);
    expect((await store.withoutOffspring([expiredIssuer.id, unusedIssuer.id, plain.id])).sort((a, b) => a - b)).to.deep.equal([plain.id]);
    const expired = await store.expireNow([unusedIssuer.id, plain.id], 50_000);
    expect(expired.map((t) => [t.id, t.validUntil])).to.have.deep.members([[unusedIssuer.id, 50_000], [plain.id, 50_000]]);
    expect(await store.expireNow([unusedIssuer.id], 60_000), 'already expired: unchanged').to.deep.equal([]);
    expect((await tokens.get(unusedIssuer.id))?.validUntil).to.equal(50_000);
    expect(await store.findUnusedIssuersSince(40_000, 50_000, 1000), 'no longer valid').to.deep.equal([]);
  });
});
