// A real REST client (jira.js Version2Client) authenticating with API tokens, by Basic
// (`email` = user name, `apiToken` = token) and by Bearer (`oauth2.accessToken`).
import { expect } from 'chai';
import { Version2Client } from 'jira.js';
import { forEachDatabase } from '../../support/databases';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

function statusOf(err: unknown): number | undefined {
  const e = err as { status?: number; response?: { status?: number }; cause?: { status?: number } };
  return e.status ?? e.response?.status ?? e.cause?.status;
}

forEachDatabase('jira.js Version2Client with API tokens', (kind) => {
  let e2e: E2eEnv;
  let projectKey: string;
  let issueType: string;

  before(async () => {
    e2e = await startE2e('jira', kind);
    projectKey = (await e2e.host.runtime.issues.projects())[0].key;
    issueType = (await e2e.host.runtime.issues.issueTypes()).find((t) => !t.subtask)!.name;
  });
  after(() => stopAndCheckLeaks(e2e));

  const clients = (token: string) => ({
    basic: new Version2Client({ host: e2e.host.url, authentication: { basic: { email: 'alice', apiToken: token } } }),
    bearer: new Version2Client({ host: e2e.host.url, authentication: { oauth2: { accessToken: token } } }),
  });

  for (const scheme of ['basic', 'bearer'] as const) {
    it(`should call myself, create an issue and comment on it (${scheme})`, async () => {
      const { plainTextToken } = await e2e.createToken('alice', { tokenDescription: `jira.js ${scheme}` });
      const client = clients(plainTextToken)[scheme];
      const me = await client.myself.getCurrentUser();
      expect(me.name).to.equal('alice');
      const issue = await client.issues.createIssue({ fields: { project: { key: projectKey }, summary: `created via ${scheme} token`, issuetype: { name: issueType } } });
      expect(issue.key).to.match(new RegExp(`^${projectKey}-\\d+$`));
      const comment = await client.issueComments.addComment<{ body: string }>({ issueIdOrKey: issue.key, comment: 'commented with a token' });
      expect(comment.body).to.equal('commented with a token');
      const fetched = await client.issues.getIssue({ issueIdOrKey: issue.key });
      expect(fetched.fields.reporter?.name).to.equal('alice');
    });

    it(`should let a read-only token read but refuse its write with 403 (${scheme})`, async () => {
      const { plainTextToken } = await e2e.createToken('alice', { tokenDescription: `read-only ${scheme}`, tokenScope: 1 });
      const client = clients(plainTextToken)[scheme];
      expect((await client.myself.getCurrentUser()).name).to.equal('alice');
      let status: number | undefined;
      try {
        await client.issues.createIssue({ fields: { project: { key: projectKey }, summary: 'must not exist', issuetype: { name: issueType } } });
      } catch (err) {
        status = statusOf(err);
      }
      expect(status).to.equal(403);
      const search = await e2e.as('alice', `/rest/api/2/search?jql=project=${projectKey}`);
      expect(JSON.stringify(search.json)).to.not.include('must not exist');
    });

    it(`should let a read-only token search by POST, which only reads (${scheme})`, async () => {
      const { plainTextToken } = await e2e.createToken('alice', { tokenDescription: `read-only search ${scheme}`, tokenScope: 1 });
      const result = await clients(plainTextToken)[scheme].issueSearch.searchForIssuesUsingJqlPost({ jql: `project = ${projectKey}` });
      expect(result.issues).to.be.an('array');
    });
  }

  it('should refuse a revoked token at once', async () => {
    const { id, plainTextToken } = await e2e.createToken('alice');
    const client = clients(plainTextToken).bearer;
    expect((await client.myself.getCurrentUser()).name).to.equal('alice');
    expect((await e2e.as('alice', `/rest/de.resolution.apitokenauth/latest/user/token/${id}`, { method: 'DELETE' })).status).to.equal(200);
    let status: number | undefined;
    try { await client.myself.getCurrentUser(); } catch (err) { status = statusOf(err); }
    expect(status).to.equal(401);
  });
});
