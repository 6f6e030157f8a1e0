// Last access with a large active set, on the host's real Active Objects (every test database):
// multi-row statements in one transaction per flush, MAX merge across nodes, the event loop
// free between chunks, and the final flush on close.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { aoTableName } from '../../../host-sim/impl/ao/aoNaming';
import { loadConfig } from '../../../host-sim/config';
import { createHostRuntime } from '../../../host-sim/impl/createHostRuntime';
import type { HostRuntime } from '../../../host-sim/impl/HostRuntime';
import type { ActiveObjects } from '../../../host-sim/spi';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { LAST_ACCESS_CHUNK } from '../../../plugin/ao/lastAccessSql';
import { TOKEN_ENTITY, TokenColumns as C } from '../../../plugin/ao/TokenEntity';
import { LastAccessRecorder } from '../../../plugin/service/LastAccessRecorder';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { createCapturingLogger } from '../../support/spi-fakes/CapturingLogger';
import { createTestDatabase, forEachDatabase, type TestDatabase } from '../../support/databases';
import { ROOT } from '../../support/hostServer';

/** Stores `n` tokens of one user with multi-row inserts; returns their ids in ascending order. */
async function seed(ao: ActiveObjects, n: number, userKey: string): Promise<number[]> {
  const rows = Array.from({ length: n }, (_, i) => ({
    [C.PUBLIC_ID]: generateToken().publicId, [C.STRING_ID]: generateStringId(), [C.USER_KEY]: userKey, [C.DESCRIPTION]: `la ${i}`,
    [C.CREATED]: 1, [C.CREATED_BY]: userKey, [C.VALID_UNTIL]: 9_000_000_000_000, [C.SCOPE]: 2, [C.SALT]: 'aa', [C.HASH]: 'bb',
    [C.LAST_ACCESSED]: 0, [C.LAST_IP]: null, [C.USE_COUNT]: 0, [C.RESTRICTIONS]: null, [C.NOTIFICATION_STATE]: null,
    [C.KNOWN_IPS]: null, [C.VERSION]: 1,
  }));
  await ao.createMany(TOKEN_ENTITY, rows);
  const found = await ao.find(TOKEN_ENTITY, { columns: [C.ID], where: `${C.USER_KEY} = ?`, params: [userKey], order: `${C.ID} ASC` });
  return found.map((r) => Number(r[C.ID]));
}

/**
 * How many turns the event loop took while `work` ran, by a setImmediate probe: a flush that
 * yields between chunks lets the probe run at least once per chunk. How long each stretch lasts
 * is measured by bench/micro/lastAccessFlush.ts, not here (a test asserts behaviour, not speed).
 */
async function turnsDuring(work: () => Promise<void>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    await work();
  } finally {
    running = false;
  }
  return turns;
}

forEachDatabase('Last-access flush on the host database', (kind) => {
  let db: TestDatabase;
  let runtime: HostRuntime;
  let ao: ActiveObjects;
  let dataDir: string;
  let transactions: number;
  let store: AoTokenStore;
  const { logger } = createCapturingLogger();

  before(async function () {
    this.timeout(120000);
    db = await createTestDatabase(kind);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lastaccess-'));
    const config = loadConfig({ NODE_ENV: 'test', PRODUCT: 'jira', PORT: '0', DB_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, ROOT);
    const dialect = kind === 'mariadb' ? 'mysql' : kind;
    const migrations = upgradeTasks({ dialect, tableName: (entity) => aoTableName('AO_5D4005', entity) });
    runtime = await createHostRuntime(config, { extraMigrations: migrations });
    ao = runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects;
    // The store sees every transaction it opens.
    const counting: ActiveObjects = Object.create(ao) as ActiveObjects;
    counting.executeInBackgroundTransaction = <T>(fn: (tx: ActiveObjects) => Promise<T>) => { transactions++; return ao.executeInBackgroundTransaction(fn); };
    store = new AoTokenStore(counting);
  });
  after(async () => {
    await runtime?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await db?.drop();
  });

  it('should flush 2,000 pending tokens in one transaction of at most 4 statements, reading nothing', async function () {
    this.timeout(60000);
    const ids = await seed(ao, 2000, 'la-count');
    const recorder = new LastAccessRecorder(store, logger);
    for (const [i, id] of ids.entries()) recorder.record(id, 10_000 + i, '10.1.0.1');
    transactions = 0;
    const before = runtime.db.statementCounts();
    await recorder.flush();
    const after = runtime.db.statementCounts();
    expect(transactions).to.equal(1);
    expect(after.writes - before.writes).to.be.at.most(4);
    expect(after.reads - before.reads).to.equal(0);
    const rows = await ao.find(TOKEN_ENTITY, { where: `${C.USER_KEY} = ?`, params: ['la-count'], order: `${C.ID} ASC` });
    expect(rows.map((r) => Number(r[C.LAST_ACCESSED]))).to.deep.equal(ids.map((_, i) => 10_000 + i));
    expect(rows.every((r) => Number(r[C.USE_COUNT]) === 1 && r[C.LAST_IP] === '10.1.0.1')).to.equal(true);
  });

  it('should merge two nodes with MAX (never backwards, the IP of the latest use) and add their counts, flushed together', async function () {
    this.timeout(60000);
    const ids = await seed(ao, 1200, 'la-max');
    const node1 = new LastAccessRecorder(store, logger);
    const node2 = new LastAccessRecorder(store, logger);
    for (const [i, id] of ids.entries()) {
      // Even tokens: node 1 saw the latest use; odd ones: node 2.
      node1.record(id, i % 2 === 0 ? 50_000 + i : 20_000 + i, '10.0.0.1');
      node2.record(id, i % 2 === 0 ? 30_000 + i : 60_000 + i, '10.0.0.2');
      node2.record(id, i % 2 === 0 ? 31_000 + i : 61_000 + i, '10.0.0.2');
    }
    await Promise.all([node1.flush(), node2.flush()]);
    // A later flush with older data moves nothing back.
    node1.record(ids[0], 1, '10.9.9.9');
    await node1.flush();
    const rows = await ao.find(TOKEN_ENTITY, { where: `${C.USER_KEY} = ?`, params: ['la-max'], order: `${C.ID} ASC` });
    const seen = rows.map((r) => [Number(r[C.LAST_ACCESSED]), r[C.LAST_IP], Number(r[C.USE_COUNT])]);
    const expected = ids.map((_, i) => (i % 2 === 0 ? [50_000 + i, '10.0.0.1', i === 0 ? 4 : 3] : [61_000 + i, '10.0.0.2', 3]));
    expect(seen).to.deep.equal(expected);
  });

  it('should give the event loop a turn before every chunk of a 10,000-token flush', async function () {
    this.timeout(120000);
    const ids = await seed(ao, 10_000, 'la-loop');
    const recorder = new LastAccessRecorder(store, logger);
    for (const [i, id] of ids.entries()) recorder.record(id, 100_000 + i, '10.2.0.1');
    const before = runtime.db.statementCounts();
    const turns = await turnsDuring(() => recorder.flush());
    const statements = runtime.db.statementCounts().writes - before.writes;
    // At least 10,000 / LAST_ACCESS_CHUNK chunks, and the probe ran before each of them.
    expect(statements).to.be.at.least(10_000 / LAST_ACCESS_CHUNK);
    expect(turns).to.be.at.least(10_000 / LAST_ACCESS_CHUNK);
    const row = await ao.findOne(TOKEN_ENTITY, { where: `${C.ID} = ?`, params: [ids[9999]] });
    expect(Number(row?.[C.USE_COUNT])).to.equal(1);
    expect(Number(row?.[C.LAST_ACCESSED])).to.equal(109_999);
  });

  it('should answer reads from the last committed rows while a 10,000-token flush is written', async function () {
    this.timeout(120000);
    const ids = await seed(ao, 10_000, 'la-read');
    const recorder = new LastAccessRecorder(store, logger);
    for (const [i, id] of ids.entries()) recorder.record(id, 200_000 + i, '10.4.0.1');
    let flushed = false;
    const before = runtime.db.statementCounts().writes;
    const flushing = recorder.flush().then(() => { flushed = true; });
    // Once the flush's first statement is under way: SQLite runs it on its writer thread's own
    // connection, so the node's reads go on meanwhile.
    while (runtime.db.statementCounts().writes === before && !flushed) await new Promise((r) => setImmediate(r));
    const during = await ao.findOne(TOKEN_ENTITY, { where: `${C.ID} = ?`, params: [ids[9999]] });
    expect(flushed).to.equal(false);
    expect(Number(during?.[C.USE_COUNT])).to.equal(0);
    await flushing;
    const after = await ao.findOne(TOKEN_ENTITY, { where: `${C.ID} = ?`, params: [ids[9999]] });
    expect(Number(after?.[C.USE_COUNT])).to.equal(1);
  });

  it('should lose nothing on close: the flush in progress and what came in meanwhile are written', async function () {
    this.timeout(60000);
    const ids = await seed(ao, 1500, 'la-close');
    const recorder = new LastAccessRecorder(store, logger);
    for (const id of ids) recorder.record(id, 70_000, '10.3.0.1');
    const inProgress = recorder.flush();
    for (const id of ids) recorder.record(id, 80_000, '10.3.0.2'); // arrives while the first flush runs
    await recorder.close();
    await inProgress;
    recorder.record(ids[0], 90_000, '10.3.0.3'); // a request that finished after close
    for (let i = 0; i < 100 && recorder.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await recorder.close();
    const rows = await ao.find(TOKEN_ENTITY, { where: `${C.USER_KEY} = ?`, params: ['la-close'], order: `${C.ID} ASC` });
    expect(rows.map((r) => Number(r[C.USE_COUNT]))).to.deep.equal(ids.map((_, i) => (i === 0 ? 3 : 2)));
    expect(rows.map((r) => Number(r[C.LAST_ACCESSED]))).to.deep.equal(ids.map((_, i) => (i === 0 ? 90_000 : 80_000)));
  });
});
