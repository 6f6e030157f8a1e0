import { expect } from 'chai';
import type { HostError } from '../../../host-sim/impl/HostError';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

async function codeOf(fn: () => Promise<unknown>): Promise<string | null> {
  try { await fn(); } catch (err) { return (err as HostError).code ?? 'unknown'; }
  return null;
}

forEachDatabase('DefaultIssueStore and DefaultContentStore', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should number issues per project without gaps or duplicates across nodes', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const input = { projectKey: 'TEST', summary: 'S', description: 'D', issueType: 'Bug', reporterKey: 'admin' };
    const created = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).issues.createIssue({ ...input, summary: `S${i}` })));
    expect(created.map((i) => i.key).sort()).to.deep.equal(['TEST-1', 'TEST-2', 'TEST-3', 'TEST-4', 'TEST-5', 'TEST-6']);
    const page = await a.issues.searchByProject('test', 0, 4);
    expect(page.total).to.equal(6);
    expect(page.issues.map((i) => i.key)).to.deep.equal(['TEST-6', 'TEST-5', 'TEST-4', 'TEST-3']);
  });

  it('should get, update and comment issues and create filters', async () => {
    const rt = await cluster.start();
    const issue = await rt.issues.createIssue({ projectKey: 'TEST', summary: 'Broken', description: '', issueType: '10001', reporterKey: 'admin' });
    expect(issue).to.include({ key: 'TEST-1', projectKey: 'TEST', issueType: 'Task', reporterKey: 'admin' });
    expect(await rt.issues.getIssue('test-1')).to.deep.equal(issue);
    expect(await rt.issues.getIssue(String(issue.id))).to.deep.equal(issue);
    expect(await rt.issues.getIssue('TEST-99')).to.equal(null);
    const updated = await rt.issues.updateIssue('TEST-1', { summary: 'Fixed' });
    expect(updated).to.include({ summary: 'Fixed', description: '' });
    expect(await rt.issues.updateIssue('TEST-99', { summary: 'x' })).to.equal(null);
    const comment = await rt.issues.addComment(issue.id, 'Looks good', 'admin');
    expect(await rt.issues.listComments(issue.id)).to.deep.equal([comment]);
    const filter = await rt.issues.createFilter({ name: 'Mine', jql: 'project = TEST', ownerKey: 'admin', description: '' });
    expect(filter).to.include({ name: 'Mine', jql: 'project = TEST' });
    expect((await rt.issues.issueTypes()).map((t) => t.name)).to.deep.equal(['Bug', 'Task', 'Story']);
    expect(await rt.issues.projects()).to.deep.equal([{ id: 10000, key: 'TEST', name: 'Test Project' }]);
  });

  it('should refuse unknown projects, issue types and issues with typed errors', async () => {
    const rt = await cluster.start();
    const base = { projectKey: 'TEST', summary: 'S', description: '', issueType: 'Bug', reporterKey: 'admin' };
    expect(await codeOf(() => rt.issues.createIssue({ ...base, projectKey: 'NOPE' }))).to.equal('PROJECT_NOT_FOUND');
    expect(await codeOf(() => rt.issues.createIssue({ ...base, issueType: 'Epic' }))).to.equal('ISSUE_TYPE_NOT_FOUND');
    expect(await codeOf(() => rt.issues.createIssue({ ...base, summary: '' }))).to.equal('INVALID_INPUT');
    expect(await codeOf(() => rt.issues.addComment(424242, 'x', 'admin'))).to.equal('ISSUE_NOT_FOUND');
    expect((await rt.issues.searchByProject('TEST', 0, 10)).total).to.equal(0);
  });

  it('should create and list Confluence content and spaces', async () => {
    const rt = await cluster.start({ product: 'confluence' });
    expect(await rt.content.listSpaces(0, 10)).to.deep.equal({ results: [{ id: 98305, key: 'DS', name: 'Demonstration Space' }], total: 1 });
    const page = await rt.content.createContent({ type: 'page', title: 'Welcome', spaceKey: 'DS', body: '<p>Hi</p>', authorKey: 'admin' });
    await rt.content.createContent({ type: 'blogpost', title: 'News', spaceKey: 'DS', body: '', authorKey: 'admin' });
    expect(page).to.include({ type: 'page', title: 'Welcome', spaceKey: 'DS', version: 1 });
    expect(await rt.content.getContent(page.id)).to.deep.equal(page);
    expect(await rt.content.getContent(999999)).to.equal(null);
    const pages = await rt.content.listContent({ spaceKey: 'DS', type: 'page', offset: 0, limit: 10 });
    expect(pages.total).to.equal(1);
    expect(pages.results.map((c) => c.title)).to.deep.equal(['Welcome']);
    expect((await rt.content.listContent({ offset: 1, limit: 10 })).results.map((c) => c.title)).to.deep.equal(['News']);
    expect(await codeOf(() => rt.content.createContent({ type: 'page', title: 'x', spaceKey: 'NOPE', body: '', authorKey: 'admin' }))).to.equal('SPACE_NOT_FOUND');
  });
});
