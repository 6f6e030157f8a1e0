// Each node reads its own environment and host.properties: one node with websudo off, another
// list of trusted proxies, a laxer failed-login limit or the dev toolbox on weakens the whole
// cluster, silently. Every node now logs an error naming the other node and each setting that
// differs (the nodes already running, and the one that starts).
import { expect } from 'chai';
import { createTestDatabase, SERVER_DATABASE_KINDS, type TestDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import { waitFor } from '../../contract/host/hostFixture';

const differences = (host: TestHost, otherNode: string): string[] => host.logs
  .map((line) => JSON.parse(line) as { level: string; module?: string; otherNode?: string; setting?: string })
  .filter((entry) => entry.level === 'error' && entry.module === 'NodeConfigCheck' && entry.otherNode === otherNode)
  .map((entry) => entry.setting as string).sort();

for (const kind of SERVER_DATABASE_KINDS) {
  describe(`Nodes started with different security settings (${kind})`, () => {
    let db: TestDatabase;
    const hosts: TestHost[] = [];
    const start = async (nodeId: string, env: Record<string, string> = {}): Promise<TestHost> => {
      const host = await startTestHost({ product: 'jira', dbUrl: db.url, descriptors: [], nodeId, captureLogs: true, env });
      hosts.push(host);
      return host;
    };
    before(async () => { db = await createTestDatabase(kind); });
    after(async () => {
      for (const host of hosts) await host.stop();
      await db.drop();
    });

    it('should log on both nodes each setting in which a starting node differs, and nothing for a node that agrees', async function () {
      this.timeout(60_000);
      const node1 = await start('node1', { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=10.0.0.5' });
      const same = await start('node2', { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=::ffff:10.0.0.5' });
      const lax = await start('node3', { HOSTSIM_SYSPROPS: 'hostsim.websudo.disabled=true,hostsim.trusted.proxies=10.0.0.0/8', MAX_FAILED_LOGINS: '50' });
      const expected = ['maxFailedLogins', 'trustedProxies', 'websudo'];
      await waitFor(() => differences(node1, 'node3').length === 3 && differences(lax, 'node1').length === 3 && differences(lax, 'node2').length === 3,
        5000, 'the differences logged');
      expect(differences(node1, 'node3')).to.deep.equal(expected);
      expect(differences(same, 'node3')).to.deep.equal(expected);
      expect(differences(lax, 'node1')).to.deep.equal(expected);
      // A second announcement of the same difference is not logged again.
      expect(differences(node1, 'node2')).to.deep.equal([]);
      expect(differences(same, 'node1')).to.deep.equal([]);
    });

    it('should log a node whose base URL is http among nodes behind TLS: its session cookie lacks Secure', async function () {
      this.timeout(60_000);
      const tls = await start('node4', { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=10.0.0.5', BASE_URL: 'https://jira.example.com/jira' });
      const plain = await start('node5', { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=10.0.0.5', BASE_URL: 'http://jira.example.com/jira' });
      await waitFor(() => differences(tls, 'node5').length > 0 && differences(plain, 'node4').length > 0, 5000, 'the difference logged');
      expect(differences(tls, 'node5')).to.deep.equal(['secureCookie']);
      expect(differences(plain, 'node4')).to.deep.equal(['secureCookie']);
    });
  });
}
