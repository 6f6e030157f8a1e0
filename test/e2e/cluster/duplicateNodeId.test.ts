// Two nodes under one NODE_ID — the default `node1` on every node that was not given its own,
// or a name copied from another node's environment. A node skips the change-log messages that
// carry its own NODE_ID (it has applied them before sending), and so do the plugin's listeners:
// each twin ignored the other's invalidations, and a token deleted through one kept working on the
// other for as long as it was cached (10 minutes by default; found by the secure-defaults review,
// 2026-12-05: 200 after the deletion). A node that reads a message under its NODE_ID that it did
// not write now stops trusting its caches for good: 503 to token and password requests, /status
// ERROR, one error line naming NODE_ID, until it is restarted under a name of its own.
import { expect } from 'chai';
import { SERVER_DATABASE_KINDS } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';

const API = '/rest/de.resolution.apitokenauth/latest';

async function statusAfter(host: TestHost, bearer: string, wanted: number): Promise<number> {
  let status = 0;
  for (let i = 0; i < 30; i++) {
    status = (await host.request('/rest/api/2/myself', { bearer })).status;
    if (status === wanted) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return status;
}

for (const kind of SERVER_DATABASE_KINDS) {
  describe(`Two nodes under one NODE_ID (${kind})`, function () {
    this.timeout(60_000);

    for (const [first, second] of [['node1', 'node2'], ['node1', 'node1']] as const) {
      it(first === second
        ? 'should refuse, on the twin, a token deleted through the other node (503 and /status ERROR rather than 200)'
        : 'should refuse a token deleted through another node, which keeps answering (the control)', async () => {
        const a = await startTestHost({ dbKind: kind, nodeId: first, captureLogs: true });
        let b: TestHost | null = null;
        try {
          // Made before the second node starts: that node reads no message of it.
          const created = await a.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: 'twin' } });
          expect(created.status, created.text).to.equal(200);
          const token = created.json.plainTextToken as string;
          b = await startTestHost({ dbUrl: a.dbUrl, nodeId: second, captureLogs: true });
          const before = (await b.request('/rest/api/2/myself', { bearer: token })).status;
          const deleted = (await a.request(`${API}/user/token/${created.json.id}`, { method: 'DELETE', auth: ['admin', 'admin'] })).status;
          if (first !== second) {
            expect([before, deleted], 'used, then deleted').to.deep.equal([200, 200]);
            expect(await statusAfter(b, token, 401)).to.equal(401);
            expect((await b.request('/status')).status).to.equal(200);
            return;
          }
          // Whichever twin first reads a message of the other's under its own name stops answering:
          // the first node may already have read the second's start (then the deletion is refused,
          // and the token stands); otherwise the second reads the deletion. Never: deleted through
          // one, and still 200 on the other (what the old code did).
          const stopped = deleted === 503 ? a : b;
          expect(before, 'the token on the second node before the deletion').to.be.oneOf([200, 503]);
          expect(deleted, 'the deletion').to.be.oneOf([200, 503]);
          if (deleted === 200) expect(await statusAfter(b, token, 503)).to.equal(503);
          expect((await stopped.request('/status')).status).to.equal(503);
          expect((await stopped.request('/rest/api/2/myself', { auth: ['admin', 'admin'] })).status).to.equal(503);
          expect(stopped.logs.filter((l) => /NODE_ID/.test(l) && /error/i.test(l)), stopped.logs.join('\n')).to.have.length.of.at.least(1);
        } finally {
          await b?.stop();
          await a.stop();
        }
      });
    }
  });
}
