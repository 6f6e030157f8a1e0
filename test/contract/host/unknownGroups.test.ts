import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

forEachDatabase('PermissionManager.unknownGroups', (kind) => {
  let cluster: HostCluster;

  before(async () => { cluster = await HostCluster.create(kind); });
  after(async () => { await cluster.cleanup(); });

  it('should name the groups that do not exist, case-insensitively, in order and each once', async () => {
    const rt = await cluster.start({ product: 'jira' });
    await rt.users.createGroup('Build-Bots');
    expect(await rt.permissionManager.unknownGroups([])).to.deep.equal([]);
    expect(await rt.permissionManager.unknownGroups(['jira-administrators', 'build-bots', 'BUILD-BOTS', 'jira-software-users'])).to.deep.equal([]);
    expect(await rt.permissionManager.unknownGroups(['typo-group', 'jira-admins', 'Typo-Group', 'other'])).to.deep.equal(['typo-group', 'other']);
  });

  it('should see a group created on another node', async () => {
    const other = await cluster.start({ product: 'jira', nodeId: 'node-2' });
    expect(await cluster.runtimes[0].permissionManager.unknownGroups(['late-group'])).to.deep.equal(['late-group']);
    await other.users.createGroup('late-group');
    expect(await cluster.runtimes[0].permissionManager.unknownGroups(['late-group'])).to.deep.equal([]);
  });

  it('should answer with the groups of Confluence', async () => {
    const confluence = await HostCluster.create(kind);
    try {
      const rt = await confluence.start({ product: 'confluence' });
      expect(await rt.permissionManager.unknownGroups(['confluence-administrators', 'site-admins', 'confluence-users', 'jira-admins'])).to.deep.equal(['jira-admins']);
    } finally {
      await confluence.cleanup();
    }
  });
});
