import { expect } from 'chai';
import { Version2Client } from 'jira.js';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';

forEachDatabase('Jira host REST API with the jira.js client', (dbKind) => {
  let host: TestHost;
  let client: Version2Client;
  before(async () => {
    host = await startTestHost({ product: 'jira', dbKind, descriptors: [] });
    client = new Version2Client({ host: host.url, authentication: { basic: { email: 'admin', apiToken: 'admin' } } });
  });
  after(async () => { await host?.stop(); });

  it('should serve the current user, issue creation, issue reads and search to jira.js', async () => {
    const me = await client.myself.getCurrentUser();
    expect(me.name).to.equal('admin');
    const created = await client.issues.createIssue({ fields: { project: { key: 'TEST' }, summary: 'From jira.js', issuetype: { name: 'Task' } } });
    expect(created.key).to.match(/^TEST-\d+$/);
    const issue = await client.issues.getIssue({ issueIdOrKey: created.key });
    expect(issue.fields.summary).to.equal('From jira.js');
    await client.issueComments.addComment({ issueIdOrKey: created.key, comment: 'Hi' });
    const found = await client.issueSearch.searchForIssuesUsingJql({ jql: 'project = TEST' });
    expect(found.issues?.map((i) => i.key)).to.include(created.key);
    const info = await client.serverInfo.getServerInfo();
    expect(info.version).to.equal('9.12.0');
  });
});
