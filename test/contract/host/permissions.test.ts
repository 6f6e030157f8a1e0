import { expect } from 'chai';
import type { GlobalPermission } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

const ALL: GlobalPermission[] = ['SYSTEM_ADMIN', 'ADMINISTER', 'USE'];

forEachDatabase('DefaultPermissionManager', (kind) => {
  let cluster: HostCluster;

  before(async () => { cluster = await HostCluster.create(kind); });
  after(async () => { await cluster.cleanup(); });

  it('should derive Jira global permissions from group membership', async () => {
    const rt = await cluster.start({ product: 'jira' });
    const plain = await rt.users.createUser({ name: 'plain', password: 'p', email: '', displayName: '' });
    const admin = await rt.users.createUser({ name: 'padmin', password: 'p', email: '', displayName: '', groups: ['jira-admins'] });
    const none = await rt.users.createUser({ name: 'none', password: 'p', email: '', displayName: '', groups: [] });
    const check = async (key: string) => Promise.all(ALL.map((p) => rt.permissionManager.hasGlobalPermission(key, p)));
    expect(await check('admin')).to.deep.equal([true, true, true]);
    expect(await check(admin.key)).to.deep.equal([false, true, true]);
    expect(await check(plain.key)).to.deep.equal([false, false, true]);
    expect(await check(none.key)).to.deep.equal([false, false, false]);
    expect(await check('no-such-key')).to.deep.equal([false, false, false]);
    expect(await rt.users.isAdmin(admin.key)).to.equal(true);
    expect(await rt.users.isSystemAdmin(admin.key)).to.equal(false);
  });

  it('should check membership in any of several groups, case-insensitively', async () => {
    const rt = cluster.runtimes[0];
    const plain = (await rt.users.getUserByName('plain'))!;
    expect(await rt.permissionManager.isInAnyGroup(plain.key, ['nope', 'JIRA-SOFTWARE-USERS'])).to.equal(true);
    expect(await rt.permissionManager.isInAnyGroup(plain.key, ['jira-administrators'])).to.equal(false);
    expect(await rt.permissionManager.isInAnyGroup(plain.key, [])).to.equal(false);
    expect(await rt.users.isUserInGroup(plain.key, 'Jira-Software-Users')).to.equal(true);
  });
});
