import { expect } from 'chai';
import { isServiceUnavailable } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

forEachDatabase('createHostRuntime', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should hand a plugin every SPI service, bound to the plugin where it matters', async () => {
    const rt = await cluster.start();
    const services = rt.servicesForPlugin({ pluginKey: 'com.example.p', aoPrefix: 'AO_5D4005' });
    expect(Object.keys(services).sort()).to.deep.equal([
      'activeObjects', 'auditService', 'clock', 'clusterLockService', 'clusterMessagingService', 'eventPublisher', 'i18nResolver',
      'licenseManager', 'loginManager', 'mailService', 'permissionManager', 'pluginSettings', 'scheduler', 'userManager', 'webSudoManager',
    ]);
    expect(services.activeObjects.dialect).to.equal(rt.db.dialect);
    expect(rt.db.dialect).to.equal({ sqlite: 'sqlite', mariadb: 'mysql', postgres: 'postgres' }[kind]);
    expect(services.i18nResolver.getText('en', 'missing.key')).to.equal('missing.key');
    expect(services.clock).to.equal(rt.clock);
    expect(services.userManager).to.equal(rt.users);
  });

  it('should count reads and writes separately', async () => {
    const rt = await cluster.start();
    const before = rt.db.statementCounts();
    await rt.users.findUsersByEmail('x@example.com');
    await rt.audit.record({ action: 'a', summary: 's', category: 'c', author: null });
    const after = rt.db.statementCounts();
    expect(after.reads - before.reads).to.be.at.least(1);
    expect(after.writes - before.writes).to.equal(1);
  });

  it('should not count timer-driven cluster polling as statements', async () => {
    const rt = await cluster.start({ clusterPollIntervalMs: 20 });
    const before = rt.db.statementCounts();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rt.db.statementCounts()).to.deep.equal(before);
  });

  it('should answer cached user lookups without touching the database', async () => {
    const rt = await cluster.start();
    await rt.users.getUserByName('admin');
    await rt.users.getUserByKey('admin');
    await rt.users.getGroupNames('admin');
    const before = rt.db.statementCounts();
    await rt.users.getUserByName('Admin');
    await rt.users.getUserByKey('admin');
    await rt.users.isSystemAdmin('admin');
    await rt.permissionManager.hasGlobalPermission('admin', 'USE');
    expect(rt.db.statementCounts()).to.deep.equal(before);
  });

  it('should close idempotently and refuse work afterwards', async () => {
    const rt = await cluster.start();
    await Promise.all([rt.close(), rt.close()]);
    await rt.close();
    let thrown: unknown;
    try { await rt.audit.record({ action: 'a', summary: 's', category: 'c', author: null }); } catch (err) { thrown = err; }
    expect(isServiceUnavailable(thrown)).to.equal(true);
  });

  it('should refuse a configuration it cannot run with', async () => {
    let thrown: unknown;
    try { await cluster.start({ clusterPollIntervalMs: 1000 }); } catch (err) { thrown = err; }
    expect(thrown).to.be.instanceOf(Error);
  });
});
