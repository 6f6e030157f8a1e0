import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

forEachDatabase('PermissionManager.userKeysWithGlobalPermission', (kind) => {
  let cluster: HostCluster;

  before(async () => { cluster = await HostCluster.create(kind); });
  after(async () => { await cluster.cleanup(); });

  it('should list system admins and admins by group membership, inactive ones included, sorted and each once', async () => {
    const rt = await cluster.start({ product: 'jira' });
    const plain = await rt.users.createUser({ name: 'plain', password: 'p', email: '', displayName: '' });
    const admin = await rt.users.createUser({ name: 'padmin', password: 'p', email: '', displayName: '', groups: ['jira-admins'] });
    const both = await rt.users.createUser({ name: 'both', password: 'p', email: '', displayName: '', groups: ['jira-admins', 'JIRA-ADMINISTRATORS'] });
    const sleeping = await rt.users.createUser({ name: 'sleeping', password: 'p', email: '', displayName: '', groups: ['jira-administrators'] });
    await rt.users.setActive('sleeping', false);
    const sysadmins = await rt.permissionManager.userKeysWithGlobalPermission('SYSTEM_ADMIN');
    expect(sysadmins).to.deep.equal(['admin', both.key, sleeping.key].sort());
    const admins = await rt.permissionManager.userKeysWithGlobalPermission('ADMINISTER');
    expect(admins).to.deep.equal(['admin', admin.key, both.key, sleeping.key].sort());
    expect(admins).not.to.include(plain.key);
    await rt.users.addUserToGroup('plain', 'jira-administrators');
    expect(await rt.permissionManager.userKeysWithGlobalPermission('SYSTEM_ADMIN')).to.include(plain.key);
  });

  it('should answer for Confluence with its own groups', async () => {
    const confluence = await HostCluster.create(kind);
    try {
      const rt = await confluence.start({ product: 'confluence' });
      const site = await rt.users.createUser({ name: 'site', password: 'p', email: '', displayName: '', groups: ['site-admins'] });
      expect(await rt.permissionManager.userKeysWithGlobalPermission('SYSTEM_ADMIN')).to.deep.equal(['admin']);
      expect(await rt.permissionManager.userKeysWithGlobalPermission('ADMINISTER')).to.deep.equal(['admin', site.key].sort());
    } finally {
      await confluence.cleanup();
    }
  });
});
