import { expect } from 'chai';
import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { Database } from '../../../host-sim/impl/db/Database';
import { hostMigrations } from '../../../host-sim/impl/db/migrations';
import { createTestDatabase, forEachDatabase, type TestDatabase } from '../../support/databases';
import { HostCluster, silentLogger } from './hostFixture';

/** Physical table names (on PostgreSQL the host's tables are lower case, AO tables upper case). */
async function physicalTableNames(db: Database): Promise<string[]> {
  const rows = db.dialect === 'sqlite'
    ? await db.query<{ NAME: string }>("SELECT name AS NAME FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    : db.dialect === 'postgres'
      ? await db.query<{ NAME: string }>('SELECT table_name AS NAME FROM information_schema.tables WHERE table_schema = current_schema()')
      : await db.query<{ NAME: string }>('SELECT TABLE_NAME AS NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()');
  return rows.map((r) => r.NAME).sort();
}

/** Table names as the host's SQL writes them (upper case). */
async function tableNames(db: Database): Promise<string[]> {
  return (await physicalTableNames(db)).map((t) => t.toUpperCase()).sort();
}

class SampleTokenUpgradeTask001 implements MigrationInterface {
  readonly name = 'SampleTokenUpgradeTask0011790000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    const sqlite = queryRunner.connection.driver.options.type === 'better-sqlite3';
    await queryRunner.createTable(new Table({
      name: 'AO_5D4005_TOKEN',
      columns: [
        { name: 'ID', type: sqlite ? 'integer' : 'bigint', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'USER_KEY', type: 'varchar', length: '64' },
      ],
    }));
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('AO_5D4005_TOKEN');
  }
}

const HOST_TABLES = [
  'HOST_AO_LOCK', 'HOST_AUDIT_EVENT', 'HOST_CLUSTER_LOCK', 'HOST_CLUSTER_MESSAGE', 'HOST_COMMENT', 'HOST_CONTENT', 'HOST_FILTER',
  'HOST_GROUP', 'HOST_ISSUE', 'HOST_ISSUE_TYPE', 'HOST_LOGIN_INFO', 'HOST_MAIL', 'HOST_MEMBERSHIP', 'HOST_PLUGIN_LICENSE',
  'HOST_PLUGIN_SETTING', 'HOST_PLUGIN_STATE', 'HOST_PROJECT', 'HOST_PROPERTY', 'HOST_SEQUENCE', 'HOST_SESSION', 'HOST_SPACE', 'HOST_USER',
];

forEachDatabase('HostUpgradeTasks', (kind) => {
  let testDb: TestDatabase;
  let db: Database | null = null;

  beforeEach(async () => { testDb = await createTestDatabase(kind); });
  afterEach(async () => {
    await db?.close();
    db = null;
    await testDb.drop();
  });

  it('should create every host table, drop them all on the way down and create them again', async () => {
    const opened = await Database.open(testDb.url, silentLogger());
    db = opened;
    const migrations = hostMigrations();
    expect(await opened.withMigrationLock(() => opened.runMigrations(migrations))).to.have.length(migrations.length);
    expect(await tableNames(opened)).to.include.members(HOST_TABLES);
    await opened.withMigrationLock(async () => {
      for (let i = 0; i < migrations.length; i++) await opened.revertLastMigration(migrations);
    });
    expect((await tableNames(opened)).filter((t) => t.startsWith('HOST_') && t !== 'HOST_SCHEMA_MIGRATIONS')).to.deep.equal([]);
    expect(await opened.withMigrationLock(() => opened.runMigrations(migrations))).to.have.length(migrations.length);
    expect(await tableNames(db)).to.include.members(HOST_TABLES);
    const [project] = await db.query<{ PROJECT_KEY: string; PROJECT_NAME: string }>('SELECT PROJECT_KEY, PROJECT_NAME FROM HOST_PROJECT');
    expect(project).to.deep.equal({ PROJECT_KEY: 'TEST', PROJECT_NAME: 'Test Project' });
  });

  it('should seed issue types Bug, Task and Story and the space DS', async () => {
    const opened = await Database.open(testDb.url, silentLogger());
    db = opened;
    await opened.withMigrationLock(() => opened.runMigrations(hostMigrations()));
    const types = await db.query<{ TYPE_NAME: string }>('SELECT TYPE_NAME FROM HOST_ISSUE_TYPE ORDER BY ID');
    expect(types.map((t) => t.TYPE_NAME)).to.deep.equal(['Bug', 'Task', 'Story']);
    const spaces = await db.query<{ SPACE_KEY: string; SPACE_NAME: string }>('SELECT SPACE_KEY, SPACE_NAME FROM HOST_SPACE');
    expect(spaces).to.deep.equal([{ SPACE_KEY: 'DS', SPACE_NAME: 'Demonstration Space' }]);
  });
});

forEachDatabase('createHostRuntime migrations', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should run plugin migrations after the host ones and only pending ones on a restart', async () => {
    const first = await cluster.start({}, [new SampleTokenUpgradeTask001()]);
    const ao = first.servicesForPlugin({ pluginKey: 'sample', aoPrefix: 'AO_5D4005' }).activeObjects;
    await ao.create('Token', { USER_KEY: 'admin' });
    await first.close();
    cluster.runtimes.splice(0);

    const second = await cluster.start({}, [new SampleTokenUpgradeTask001()]);
    const again = second.servicesForPlugin({ pluginKey: 'sample', aoPrefix: 'AO_5D4005' }).activeObjects;
    expect(await again.count('Token')).to.equal(1);
    expect((await second.users.listUsers(0, 100)).map((u) => u.name)).to.deep.equal(['admin']);
    expect((await second.issues.projects()).map((p) => p.key)).to.deep.equal(['TEST']);
  });

  it('should let several nodes start at once on a fresh database', async () => {
    const nodes = await Promise.all(['n1', 'n2', 'n3'].map((nodeId) => cluster.start({ nodeId }, [new SampleTokenUpgradeTask001()])));
    expect(nodes).to.have.length(3);
    expect((await nodes[2].users.listUsers(0, 10)).map((u) => u.name)).to.deep.equal(['admin']);
    expect((await nodes[0].users.getStoredUser('admin'))?.groups).to.deep.equal(['jira-administrators', 'jira-software-users']);
  });

  it('should reject with a message naming the database without its password when it cannot connect', async () => {
    const url = kind === 'sqlite' ? `sqlite:${__filename}/cannot/be/a/directory.db`
      : `${kind === 'postgres' ? 'postgres' : 'mysql'}://someone:s3cr3tpw@127.0.0.1:1/nowhere`;
    let error: unknown;
    try {
      await cluster.start({ dbUrl: url });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(Error);
    const message = (error as Error).message;
    expect(message).to.include(kind === 'sqlite' ? 'sqlite:' : `${kind === 'postgres' ? 'postgres' : 'mysql'}://someone:***@127.0.0.1:1/nowhere`);
    expect(message).not.to.include('s3cr3tpw');
  });
});
