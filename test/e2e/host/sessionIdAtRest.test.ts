// A session cookie is a bearer credential: whoever has its value is the signed-in user (an
// administrator's session creates that administrator's API tokens without websudo). The host
// kept each session's id as it is in HOST_SESSION, so anyone who read the database — a backup,
// a dump, another local user reading a SQLite file — could sign in as every user with a live
// session (secure-defaults review, 2026-12-05). The table keeps a hash of the id instead.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import { dumpDatabase } from '../plugin/support/e2eHost';

forEachDatabase('Host sessions at rest: the database never holds a session id', (kind) => {
  let host: TestHost;
  before(async () => { host = await startTestHost({ dbKind: kind, descriptors: [] }); });
  after(() => host?.stop());

  it('should keep no signed-in session\'s id in any table, and still know the session by its cookie', async () => {
    const cookie = await host.login('admin', 'admin');
    const sessionId = /JSESSIONID=([0-9a-f]{64})/.exec(cookie)?.[1];
    expect(sessionId).to.be.a('string');
    expect((await host.request('/rest/auth/1/session', { headers: { Cookie: cookie } })).status).to.equal(200);
    const dump = await dumpDatabase(host.dbUrl);
    expect(dump.includes(sessionId as string), 'the session id is in the database').to.equal(false);
  });

  it('should end the session on logout, so its cookie signs nobody in afterwards', async () => {
    const cookie = await host.login('admin', 'admin');
    expect((await host.request('/rest/auth/1/session', { method: 'DELETE', headers: { Cookie: cookie, 'X-Atlassian-Token': 'no-check' } })).status).to.equal(204);
    expect((await host.request('/rest/auth/1/session', { headers: { Cookie: cookie } })).status).to.equal(401);
  });
});
