// DNS rebinding against `npm start`: the node listens on 127.0.0.1 with the documented admin /
// admin, so a web page the developer opens at http://rebind.attacker.example:2990 — a name the
// attacker then points at 127.0.0.1 — is the same origin as the node to the browser: its script
// sent admin/admin, read the answers and minted an administrator's token for itself (found by the
// secure-defaults review, 2026-12-05: 200 and a plainTextToken for any Host). A node on the
// loopback now answers only requests that name it by an IP address, `localhost` or BASE_URL's host.
import http from 'node:http';
import { expect } from 'chai';
import { startTestHost, type TestHost } from '../../support/hostServer';

const API = '/rest/de.resolution.apitokenauth/latest';

/** A request with exactly this Host header (fetch does not let a caller set it). */
function withHost(host: TestHost, hostHeader: string, path: string, method = 'GET', body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({
      host: '127.0.0.1', port: host.host.port, path: `/jira${path}`, method,
      headers: {
        Host: hostHeader, Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
        ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
      },
    }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('DNS rebinding: a node on the loopback answers only to names of this machine', () => {
  let host: TestHost;
  before(async () => { host = await startTestHost({ env: { BASE_URL: 'https://jira.example.com/jira' } }); });
  after(() => host?.stop());

  it('should refuse a request that names another host, before anyone is authenticated or anything is created', async () => {
    const port = host.host.port;
    for (const name of [`rebind.attacker.example:${port}`, 'rebind.attacker.example', `localhost.attacker.example:${port}`, `127.0.0.1.nip.io:${port}`, `jira.example.com.attacker.example:${port}`]) {
      const created = await withHost(host, name, `${API}/user/token`, 'POST', { tokenDescription: 'rebound' });
      expect(created.status, `${name}: ${created.text}`).to.equal(421);
      expect(created.text).to.not.include('apitok_');
      expect((await withHost(host, name, '/rest/api/2/myself')).status, name).to.equal(421);
    }
    const tokens = await withHost(host, '127.0.0.1', `${API}/user/token`);
    expect(tokens.status).to.equal(200);
    expect(tokens.text).to.not.include('rebound');
  });

  it('should answer requests naming it by IP address, localhost or the base URL\'s host, in any case', async () => {
    const port = host.host.port;
    for (const name of [`127.0.0.1:${port}`, '127.0.0.1', `[::1]:${port}`, `localhost:${port}`, 'LocalHost', `app.localhost:${port}`, 'jira.example.com', 'JIRA.example.com:443', 'localhost.']) {
      expect((await withHost(host, name, '/rest/api/2/myself')).status, name).to.equal(200);
    }
  });
});
