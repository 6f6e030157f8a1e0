// A sudo token's run-as request was audited only when its response had been handed to the socket
// ('finish'): a client that reset the connection as soon as the request was sent had its change
// made and no `token used` event written. It is now audited on 'close' too (attribute `aborted`).
import net from 'node:net';
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const RUN_AS = 'X-Atlassian-Run-As';

/** Sends one request over a raw socket and resets the connection at once (RST), reading nothing. */
function sendAndReset(url: string, method: string, path: string, headers: Record<string, string>, body: string): Promise<void> {
  const base = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(base.port), '127.0.0.1', () => {
      const head = [`${method} ${base.pathname.replace(/\/$/, '')}${path} HTTP/1.1`, `Host: 127.0.0.1:${base.port}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`, '', ''].join('\r\n');
      socket.write(head + body, () => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    socket.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

forEachDatabase('A sudo request its client aborts', (kind) => {
  let e2e: E2eEnv;
  let sudo: string;
  let issueKey: string;

  before(async () => {
    e2e = await startE2e('jira', kind);
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } })).status).to.equal(200);
    sudo = (await e2e.createToken('admin', { tokenDescription: 'sudo', sudo: true })).plainTextToken;
    const issue = await e2e.as('admin', '/rest/api/2/issue', {
      method: 'POST', body: { fields: { project: { key: 'TEST' }, issuetype: { name: 'Bug' }, summary: 'victim issue' } },
    });
    expect(issue.status).to.equal(201);
    issueKey = issue.json.key;
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should audit a run-as request whose client resets the connection before the answer', async () => {
    const marker = `written as alice ${Date.now()}`;
    await sendAndReset(e2e.host.url, 'POST', `/rest/api/2/issue/${issueKey}/comment`,
      { Authorization: `Bearer ${sudo}`, [RUN_AS]: 'alice', 'Content-Type': 'application/json' }, JSON.stringify({ body: marker }));
    let made = false;
    for (let i = 0; i < 50 && !made; i++) {
      await sleep(100);
      const issue = await e2e.as('admin', `/rest/api/2/issue/${issueKey}`);
      made = JSON.stringify(issue.json).includes(marker);
    }
    expect(made, 'the comment was written').to.equal(true);
    await sleep(1500); // the audit queue writes every second
    const used = await e2e.auditEvents('token.used');
    const runAs = used.filter((e) => JSON.stringify(e.extraAttributes).includes('runAsUserKey'));
    expect(runAs.length, 'token used events run as alice').to.be.at.least(1);
  });
});
