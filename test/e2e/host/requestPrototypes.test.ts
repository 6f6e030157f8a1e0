// Requests reach Express with its prototypes already in place (host-sim/web/expressRequestClasses):
// Express's per-request Object.setPrototypeOf finds nothing to change. A changed prototype kept
// each request's objects alive through two young-generation collections (bench/README.md).
import http from 'node:http';
import { expect } from 'chai';
import { sendRequest, startTestHost, type TestHost } from '../../support/hostServer';

/** Counts Object.setPrototypeOf calls that really change the prototype of an HTTP request or response. */
function countPrototypeSwaps(): { swaps: () => number; restore: () => void } {
  const original = Object.setPrototypeOf;
  let swaps = 0;
  Object.setPrototypeOf = function setPrototypeOf(target: unknown, proto: object | null) {
    if ((target instanceof http.IncomingMessage || target instanceof http.ServerResponse) && Object.getPrototypeOf(target) !== proto) swaps++;
    return original(target, proto);
  } as typeof Object.setPrototypeOf;
  return { swaps: () => swaps, restore: () => { Object.setPrototypeOf = original; } };
}

describe('Host request prototypes', function () {
  this.timeout(60000);
  let host: TestHost;
  before(async () => { host = await startTestHost(); });
  after(async () => { await host?.stop(); });

  it('should not change the prototype of any request or response', async () => {
    const spy = countPrototypeSwaps();
    try {
      for (const path of ['/rest/api/2/serverInfo', '/rest/api/2/myself', '/rest/no-such-resource', '/secure/Dashboard.jspa']) {
        await sendRequest(`${host.baseUrl}${path}`);
      }
    } finally {
      spy.restore();
    }
    expect(spy.swaps()).to.equal(0);
  });

  it('should still give handlers Express request and response methods and the app', async () => {
    const res = await sendRequest(`${host.baseUrl}/rest/api/2/serverInfo`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    const missing = await sendRequest(`${host.baseUrl}/rest/api/2/no-such-resource`);
    expect(missing.status).to.equal(404);
    expect(missing.json.errorMessages).to.be.an('array');
  });
});
