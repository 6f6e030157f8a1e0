/**
 * The host simulator's testing API, for integration tests of a plugin against the simulated
 * Jira or Confluence (what `atlas-integration-test` is for Atlassian's SDK). Documented in
 * docs/plugin-development.md ("Testing your plugin").
 *
 *   import { startHost, type Host } from '<repo>/host-sim/testing';
 *
 *   let host: Host;
 *   before(async () => { host = await startHost({ plugins: [path.join(__dirname, '../atlassian-plugin.json')] }); });
 *   after(() => host.stop());
 *
 *   it('should greet', async () => {
 *     const alice = await host.createUser({ name: 'alice' });
 *     const res = await host.request('/rest/hello/1.0/greeting', { auth: [alice.name, alice.password] });
 *     expect(res.status).to.equal(200);
 *   });
 *
 * Only this module and host-sim/spi are meant for plugin code and plugin tests; everything
 * else under host-sim/ may change without notice.
 */
export {
  API_TOKEN_PLUGIN_DESCRIPTOR, startHost,
  type Host, type NewTestUser, type StartOptions, type TestClock, type TestUser,
} from './startHost';
export { sendRequest, type RequestOptions, type Response } from './http';
export { enterWebSudo, type NodeRequest } from './webSudo';
export { createMysqlDatabase, createPostgresDatabase, type TemporaryDatabase } from './database';
export type { StoredAuditEvent as AuditRecord, StoredMail as MailRecord } from '../impl/HostRuntime';
export type { LicenseState, Product } from '../spi';
