import { expect } from 'chai';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { AO_TRANSACTION_CONFLICT_RETRIES } from '../../../host-sim/impl/ao/DefaultActiveObjects';
import type { Database } from '../../../host-sim/impl/db/Database';
import type { ActiveObjects, AoValue } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

const PREFIX = 'AO_5D4005';

class WidgetUpgradeTask001 implements MigrationInterface {
  readonly name = 'WidgetUpgradeTask0011790000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    const sqlite = queryRunner.connection.driver.options.type === 'better-sqlite3';
    await queryRunner.createTable(new Table({
      name: `${PREFIX}_WIDGET`,
      columns: [
        { name: 'ID', type: sqlite ? 'integer' : 'bigint', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'NAME', type: 'varchar', length: '100' },
        { name: 'OWNER', type: 'varchar', length: '64' },
        { name: 'CREATED', type: 'bigint' },
        { name: 'NOTE', type: 'text', isNullable: true },
        { name: 'STARS', type: 'integer', default: 7 },
      ],
    }));
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(`${PREFIX}_WIDGET`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

forEachDatabase('DefaultActiveObjects', (kind) => {
  let cluster: HostCluster;
  let ao: ActiveObjects;

  beforeEach(async () => {
    cluster = await HostCluster.create(kind);
    const runtime = await cluster.start({}, [new WidgetUpgradeTask001()]);
    ao = runtime.servicesForPlugin({ pluginKey: 'widgets', aoPrefix: PREFIX }).activeObjects;
  });
  afterEach(async () => { await cluster.cleanup(); });

  it('should report its dialect and physical table names', () => {
    expect(ao.dialect).to.equal({ sqlite: 'sqlite', mariadb: 'mysql', postgres: 'postgres' }[kind]);
    expect(ao.tableName('Widget')).to.equal('AO_5D4005_WIDGET');
  });

  it('should quote column names for its database', () => {
    expect(ao.quote('NAME')).to.equal(kind === 'mariadb' ? '`NAME`' : '"NAME"');
    expect(() => ao.quote('NAME" OR 1=1 --')).to.throw(Error);
  });

  if (kind === 'postgres') {
    it('should keep the quoted upper-case names of Active Objects in the PostgreSQL catalogue', async () => {
      const db = cluster.runtimes[0].db as Database;
      const columns = await db.query<{ TABLE_NAME: string; COLUMN_NAME: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE 'AO\\_%' ORDER BY ordinal_position");
      expect(columns.map((c) => `${c.TABLE_NAME}.${c.COLUMN_NAME}`)).to.deep.equal(
        ['ID', 'NAME', 'OWNER', 'CREATED', 'NOTE', 'STARS'].map((c) => `AO_5D4005_WIDGET.${c}`));
      // The host's own tables are lower case, as Jira's own tables are on PostgreSQL.
      const host = await db.query<{ TABLE_NAME: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'host_user'");
      expect(host).to.have.length(1);
    });

    it('should fail, as Active Objects does, on a column name it does not quote (inside a function call)', async () => {
      await ao.create('Widget', { NAME: 'Mixed', OWNER: 'case', CREATED: 1 });
      let error: unknown;
      try {
        await ao.find('Widget', { where: 'LOWER(NAME) LIKE ?', params: ['mix%'] });
      } catch (err) {
        error = err;
      }
      expect((error as { code?: string }).code).to.equal('42703'); // undefined_column: PostgreSQL looked for "name"
    });
  }

  it('should find by names it quotes before every comparison, in ORDER BY and with quote() anywhere', async () => {
    for (const [name, note, created] of [['Alpha', null, 1], ['beta', 'OWNER = x', 2], ['Gamma', 'g', 3]] as const) {
      await ao.create('Widget', { NAME: name, OWNER: 'q', CREATED: created, NOTE: note });
    }
    const names = async (where: string, params: AoValue[], order = 'CREATED ASC') =>
      (await ao.find('Widget', { where: `OWNER = 'q' AND (${where})`, params, order })).map((r) => r.NAME);
    expect(await names(`LOWER(${ao.quote('NAME')}) LIKE ?`, ['%a%'])).to.deep.equal(['Alpha', 'beta', 'Gamma']);
    expect(await names('NAME IN (?, ?)', ['Alpha', 'Gamma'])).to.deep.equal(['Alpha', 'Gamma']);
    expect(await names('NAME NOT IN (?)', ['Alpha'])).to.deep.equal(['beta', 'Gamma']);
    expect(await names('NOTE IS NOT NULL AND NAME NOT LIKE ?', ['G%'])).to.deep.equal(['beta']);
    expect(await names('CREATED BETWEEN ? AND ?', [2, 3], 'CREATED DESC, ID')).to.deep.equal(['Gamma', 'beta']);
    expect(await names("NOTE = 'OWNER = x' OR STARS<>?", [7])).to.deep.equal(['beta']);
    expect(await names('NOTE IS NULL OR (CREATED>=? AND CREATED<=?)', [3, 3])).to.deep.equal(['Alpha', 'Gamma']);
    expect(await ao.count('Widget', { where: 'OWNER = ? AND NOTE IS NULL', params: ['q'] })).to.equal(1);
    expect(await ao.update('Widget', { STARS: 1 }, 'OWNER = ? AND CREATED > ?', ['q', 1])).to.equal(2);
    expect(await ao.deleteWithSQL('Widget', 'OWNER = ? AND STARS = ?', ['q', 1])).to.equal(2);
  });

  it('should give up on a transaction conflict after a bounded number of retries', async () => {
    let attempts = 0;
    let thrown: unknown;
    try {
      await ao.executeInTransaction(async (tx) => {
        attempts++;
        await tx.create('Widget', { NAME: `attempt${attempts}`, OWNER: 'conflict', CREATED: attempts });
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      });
    } catch (err) {
      thrown = err;
    }
    expect((thrown as { code?: string }).code).to.equal('40P01');
    expect(attempts).to.equal(1 + AO_TRANSACTION_CONFLICT_RETRIES);
    expect(await ao.count('Widget', { where: 'OWNER = ?', params: ['conflict'] })).to.equal(0);
  });

  if (kind !== 'sqlite') {
    it('should run the deadlock victim of two crossing transactions again, so that both commit', async () => {
      const [a, b] = [
        await ao.create('Widget', { NAME: 'A', OWNER: 'dead', CREATED: 0 }),
        await ao.create('Widget', { NAME: 'B', OWNER: 'dead', CREATED: 0 }),
      ];
      let attempts = 0;
      let arrived = 0;
      let bothHoldOne!: () => void;
      const barrier = new Promise<void>((resolve) => { bothHoldOne = resolve; });
      // Each transaction locks its first row, waits until the other holds its first row too,
      // then wants the other's row: a deadlock the database resolves by rolling one back.
      const cross = (first: AoValue, second: AoValue) => ao.executeInTransaction(async (tx) => {
        attempts++;
        await tx.update('Widget', { CREATED: 1 }, 'ID = ?', [first]);
        if (++arrived === 2) bothHoldOne();
        await barrier;
        await tx.update('Widget', { STARS: 1 }, 'ID = ?', [second]);
        return 'committed';
      });
      expect(await Promise.all([cross(a.ID, b.ID), cross(b.ID, a.ID)])).to.deep.equal(['committed', 'committed']);
      expect(attempts).to.equal(3);
      expect((await ao.find('Widget', { where: 'OWNER = ?', params: ['dead'], order: 'ID' })).map((r) => [r.CREATED, r.STARS]))
        .to.deep.equal([[1, 1], [1, 1]]);
    });
  }

  if (kind === 'postgres') {
    it('should run a transaction again after a serialization failure (REPEATABLE READ, concurrent update), losing no increment', async () => {
      // Operators may set a stricter default isolation; PostgreSQL then refuses the second of two
      // concurrent read-modify-write transactions with 40001 instead of letting it overwrite the first.
      const database = new URL(cluster.db.url).pathname.slice(1);
      await (cluster.runtimes[0].db as Database).query(`ALTER DATABASE ${database} SET default_transaction_isolation = 'repeatable read'`);
      const node2 = await cluster.start({ nodeId: 'node-2' }, [new WidgetUpgradeTask001()]);
      const ao2 = node2.servicesForPlugin({ pluginKey: 'widgets', aoPrefix: PREFIX }).activeObjects;
      const row = await ao2.create('Widget', { NAME: 'counter', OWNER: 'rr', CREATED: 0 });
      let attempts = 0;
      let arrived = 0;
      let bothRead!: () => void;
      const barrier = new Promise<void>((resolve) => { bothRead = resolve; });
      const increment = () => ao2.executeInTransaction(async (tx) => {
        attempts++;
        const current = await tx.get('Widget', row.ID as number); // the transaction's snapshot
        if (++arrived === 2) bothRead();
        await barrier;
        await tx.update('Widget', { STARS: Number(current?.STARS) + 1 }, 'ID = ?', [row.ID]);
      });
      await Promise.all([increment(), increment()]);
      expect(attempts).to.equal(3);
      expect((await ao2.get('Widget', row.ID as number))?.STARS).to.equal(9);
    });
  }

  it('should create a row and return it as stored, with ID, numbers, defaults and nulls', async () => {
    const row = await ao.create('Widget', { NAME: 'alpha', OWNER: 'admin', CREATED: 1795402484866 });
    expect(row).to.deep.equal({ ID: row.ID, NAME: 'alpha', OWNER: 'admin', CREATED: 1795402484866, NOTE: null, STARS: 7 });
    expect(row.ID).to.be.a('number');
    expect(await ao.get('Widget', row.ID as number)).to.deep.equal(row);
    expect(await ao.get('Widget', 999999)).to.equal(null);
  });

  it('should find with where, params, order, limit and offset, and count', async () => {
    for (let i = 0; i < 5; i++) await ao.create('Widget', { NAME: `w${i}`, OWNER: i % 2 ? 'bob' : 'alice', CREATED: 1000 + i });
    const alice = await ao.find('Widget', { where: 'OWNER = ?', params: ['alice'], order: 'CREATED DESC' });
    expect(alice.map((r) => r.NAME)).to.deep.equal(['w4', 'w2', 'w0']);
    const page = await ao.find('Widget', { order: 'CREATED ASC, ID ASC', limit: 2, offset: 1 });
    expect(page.map((r) => r.NAME)).to.deep.equal(['w1', 'w2']);
    const skipOnly = await ao.find('Widget', { order: 'CREATED ASC', offset: 3 });
    expect(skipOnly.map((r) => r.NAME)).to.deep.equal(['w3', 'w4']);
    expect(await ao.findOne('Widget', { where: 'CREATED > ?', params: [1002], order: 'CREATED ASC' })).to.include({ NAME: 'w3' });
    expect(await ao.findOne('Widget', { where: 'OWNER = ?', params: ['nobody'] })).to.equal(null);
    expect(await ao.count('Widget')).to.equal(5);
    expect(await ao.count('Widget', { where: 'OWNER = ? AND CREATED >= ?', params: ['bob', 1003] })).to.equal(1);
  });

  it('should return only the selected columns and refuse a bad column name', async () => {
    await ao.create('Widget', { NAME: 'cols', OWNER: 'sel', CREATED: 5 });
    expect(await ao.find('Widget', { columns: ['NAME', 'CREATED'], where: 'OWNER = ?', params: ['sel'] }))
      .to.deep.equal([{ NAME: 'cols', CREATED: 5 }]);
    let error: unknown;
    try { await ao.find('Widget', { columns: ['NAME; DROP TABLE X'] }); } catch (err) { error = err; }
    expect(error).to.be.instanceOf(Error);
  });

  it('should insert many rows in chunked multi-row statements', async () => {
    const rows = Array.from({ length: 1234 }, (_, i) => ({ NAME: `bulk${i}`, OWNER: 'bulk', CREATED: i }));
    const before = (cluster.runtimes[0].db.statementCounts()).writes;
    await ao.createMany('Widget', rows);
    const writes = cluster.runtimes[0].db.statementCounts().writes - before;
    expect(await ao.count('Widget', { where: 'OWNER = ?', params: ['bulk'] })).to.equal(1234);
    expect(writes).to.be.at.most(4);
    const mixed: Array<Record<string, AoValue>> = [{ NAME: 'a', OWNER: 'mix', CREATED: 1 }, { NAME: 'b', OWNER: 'mix', CREATED: 2, STARS: 1 }];
    await ao.createMany('Widget', mixed);
    const stars = (await ao.find('Widget', { where: 'OWNER = ?', params: ['mix'], order: 'NAME' })).map((r) => r.STARS);
    expect(stars).to.deep.equal([7, 1]);
  });

  it('should update and delete matching rows and report how many', async () => {
    for (let i = 0; i < 4; i++) await ao.create('Widget', { NAME: `u${i}`, OWNER: 'carol', CREATED: i });
    expect(await ao.update('Widget', { NOTE: 'seen' }, 'OWNER = ? AND CREATED < ?', ['carol', 2])).to.equal(2);
    expect(await ao.count('Widget', { where: 'NOTE = ?', params: ['seen'] })).to.equal(2);
    expect(await ao.update('Widget', { NOTE: 'x' }, 'OWNER = ?', ['nobody'])).to.equal(0);
    expect(await ao.deleteWithSQL('Widget', 'OWNER = ? AND NOTE IS NULL', ['carol'])).to.equal(2);
    expect(await ao.count('Widget')).to.equal(2);
  });

  it('should commit a transaction and roll it back when the callback throws', async () => {
    const id = await ao.executeInTransaction(async (tx) => {
      const row = await tx.create('Widget', { NAME: 'kept', OWNER: 'tx', CREATED: 1 });
      return tx.executeInTransaction(async (nested) => {
        await nested.update('Widget', { NOTE: 'nested' }, 'ID = ?', [row.ID]);
        return row.ID;
      });
    });
    expect(await ao.get('Widget', id as number)).to.include({ NAME: 'kept', NOTE: 'nested' });

    let thrown: unknown;
    try {
      await ao.executeInTransaction(async (tx) => {
        await tx.create('Widget', { NAME: 'lost', OWNER: 'tx', CREATED: 2 });
        await tx.deleteWithSQL('Widget', 'NAME = ?', ['kept']);
        throw new Error('boom');
      });
    } catch (err) {
      thrown = err;
    }
    expect((thrown as Error).message).to.equal('boom');
    expect((await ao.find('Widget', { where: 'OWNER = ?', params: ['tx'] })).map((r) => r.NAME)).to.deep.equal(['kept']);
  });

  it('should commit a background transaction and roll it back when a statement fails', async () => {
    for (let i = 0; i < 3; i++) await ao.create('Widget', { NAME: `bg${i}`, OWNER: 'bgtx', CREATED: i });
    expect(await ao.executeInBackgroundTransaction(async (tx) => tx.update('Widget', { NOTE: 'kept' }, 'OWNER = ?', ['bgtx']))).to.equal(3);
    let thrown: unknown;
    try {
      await ao.executeInBackgroundTransaction(async (tx) => {
        await tx.update('Widget', { NOTE: 'lost' }, 'OWNER = ?', ['bgtx']);
        await tx.update('Widget', { NOTE: 'x' }, 'NO_SUCH_COLUMN = ?', [1]);
      });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(Error);
    expect((await ao.find('Widget', { where: 'OWNER = ?', params: ['bgtx'] })).map((r) => r.NOTE)).to.deep.equal(['kept', 'kept', 'kept']);
    // The connection is usable afterwards.
    expect(await ao.executeInBackgroundTransaction(async (tx) => tx.update('Widget', { STARS: 2 }, 'OWNER = ?', ['bgtx']))).to.equal(3);
  });

  it('should keep reading the last committed rows while a background transaction is open, and hold other writes until it commits', async () => {
    const row = await ao.create('Widget', { NAME: 'bgread', OWNER: 'bgread', CREATED: 1 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let updated = false;
    const background = ao.executeInBackgroundTransaction(async (tx) => {
      await tx.update('Widget', { NOTE: 'background' }, 'ID = ?', [row.ID]);
      updated = true;
      await gate;
    });
    try {
      while (!updated) await sleep(5);
      // On SQLite a transaction on the node's own connection would hold this read until it ends.
      const read = await Promise.race([ao.get('Widget', row.ID as number), sleep(5000).then(() => 'blocked' as const)]);
      expect(read).to.not.equal('blocked');
      expect((read as Record<string, AoValue>).NOTE).to.equal(null);
      let written = false;
      const write = ao.update('Widget', { STARS: 1 }, 'ID = ?', [row.ID]).then((n) => { written = true; return n; });
      await sleep(200);
      expect(written).to.equal(false);
      release();
      await background;
      expect(await write).to.equal(1);
    } finally {
      release();
    }
    expect(await ao.get('Widget', row.ID as number)).to.include({ NOTE: 'background', STARS: 1 });
  });

  it('should serialise concurrent check-then-insert transactions that take the same lock', async () => {
    const second = await cluster.start({}, [new WidgetUpgradeTask001()]);
    const otherNode = second.servicesForPlugin({ pluginKey: 'widgets', aoPrefix: PREFIX }).activeObjects;
    const insertIfUnderQuota = (objects: ActiveObjects, name: string) => objects.executeInTransaction(async (tx) => {
      await tx.lock('quota:dave');
      const existing = await tx.count('Widget', { where: 'OWNER = ?', params: ['dave'] });
      await sleep(50);
      if (existing >= 1) return false;
      await tx.create('Widget', { NAME: name, OWNER: 'dave', CREATED: 1 });
      return true;
    });
    const results = await Promise.all([
      insertIfUnderQuota(ao, 'first'), insertIfUnderQuota(ao, 'second'), insertIfUnderQuota(otherNode, 'third'),
    ]);
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await ao.count('Widget', { where: 'OWNER = ?', params: ['dave'] })).to.equal(1);
  });

  it('should let more concurrent lockers than pooled connections finish, each alone under the lock', async () => {
    let inside = 0;
    let maxInside = 0;
    const lockers = Array.from({ length: 25 }, (_, i) => ao.executeInTransaction(async (tx) => {
      await tx.lock('quota:erin');
      inside++;
      maxInside = Math.max(maxInside, inside);
      await sleep(2);
      await tx.create('Widget', { NAME: `n${i}`, OWNER: 'erin', CREATED: i });
      inside--;
    }));
    await Promise.all(lockers);
    expect(maxInside).to.equal(1);
    expect(await ao.count('Widget', { where: 'OWNER = ?', params: ['erin'] })).to.equal(25);
  });

  it('should refuse lock() outside a transaction and bad column names', async () => {
    let lockError: unknown;
    try { await ao.lock('x'); } catch (err) { lockError = err; }
    expect(lockError).to.be.instanceOf(Error);
    let columnError: unknown;
    try { await ao.create('Widget', { 'NAME; DROP TABLE x': 'y' }); } catch (err) { columnError = err; }
    expect(columnError).to.be.instanceOf(Error);
  });
});
