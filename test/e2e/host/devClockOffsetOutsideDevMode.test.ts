// The dev toolbox's clock offset is stored in the database and every node followed it, also a node
// started without dev mode: an offset left from testing (say a month back) kept expired tokens
// working on a production node, and a dev-mode node in the same cluster moved the production
// nodes' time. A node without dev mode keeps real time and says once that it ignores the offset.
import { expect } from 'chai';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import { waitFor } from '../../contract/host/hostFixture';

const DAY = 86_400_000;

for (const kind of DATABASE_KINDS) {
  describe(`A node without dev mode and the dev toolbox's clock offset (${kind})`, () => {
    let db: TestDatabase;
    const started: TestHost[] = [];
    const start = async (devMode: boolean, nodeId: string): Promise<TestHost> => {
      const host = await startTestHost({ product: 'jira', dbUrl: db.url, descriptors: [], nodeId, captureLogs: true, env: { DEV_MODE: String(devMode) } });
      started.push(host);
      return host;
    };
    const stop = async (host: TestHost): Promise<void> => {
      await host.stop();
      started.splice(started.indexOf(host), 1);
    };

    before(async () => { db = await createTestDatabase(kind); });
    after(async () => {
      for (const host of [...started]) await host.stop();
      await db.drop();
    });

    it('should keep real time on a node started without dev mode over an offset the toolbox stored, and warn once', async function () {
      this.timeout(60_000);
      const dev = await start(true, 'node1');
      await dev.runtime.clock.setOffsetMillis(-30 * DAY);
      expect(dev.runtime.clock.now() - Date.now()).to.be.below(-29 * DAY);
      await stop(dev);

      const prod = await start(false, 'node1');
      expect(Math.abs(prod.runtime.clock.now() - Date.now())).to.be.below(60_000);
      expect(prod.runtime.clock.getOffsetMillis()).to.equal(0);
      const warnings = prod.logs.filter((line) => line.includes('clock offset') && JSON.parse(line).level === 'warn');
      expect(warnings).to.have.length(1);
    });

    if (kind !== 'sqlite') {
      it('should not follow a clock moved on a dev-mode node of the same cluster', async function () {
        this.timeout(60_000);
        const prod = started[0];
        const dev = await start(true, 'node2');
        await dev.runtime.clock.setOffsetMillis(-60 * DAY);
        // The dev node's own reading moved; give the production node time to read the announcement.
        await waitFor(() => dev.runtime.clock.getOffsetMillis() === -60 * DAY, 2000, 'the dev node');
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(prod.runtime.clock.getOffsetMillis()).to.equal(0);
        expect(Math.abs(prod.runtime.clock.now() - Date.now())).to.be.below(60_000);
      });
    }
  });
}
