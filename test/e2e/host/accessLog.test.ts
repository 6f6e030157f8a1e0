// The operator's log of `npm start`: LOG_FORMAT=json|text, and at LOG_LEVEL=debug one access
// line per request with method, path (no query), status, duration, user, token id and node —
// never a token, a password, a header value, a query string or a body.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, startScriptCommand } from '../../support/hostServer';
import { freePort } from '../../support/freePort';

const START = startScriptCommand();
const API = '/rest/de.resolution.apitokenauth/latest';


interface Started { child: ChildProcess; base: string; stderr: () => string; stop(): Promise<void> }

async function start(env: Record<string, string>, dataDir: string): Promise<Started> {
  const port = await freePort();
  const [command, ...args] = START;
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', command), args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NODE_ENV: 'development', DATA_DIR: dataDir, PORT: String(port), NODE_ID: 'node-a', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes('Database:')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
  });
  return {
    child,
    base: `http://127.0.0.1:${port}/jira`,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.on('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Waits until the access line of `path` (and `count` of them) is on stderr: it is written when the response closes. */
async function accessLines(started: Started, count: number): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const lines = started.stderr().split('\n').filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.module === 'AccessLog');
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start: access log and LOG_FORMAT', function () {
  this.timeout(60000);
  let dataDir: string;
  let started: Started | null = null;
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-accesslog-')); });
  afterEach(async () => {
    await started?.stop();
    started = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('should write one JSON access line per request at debug, with user, token id and node and never a secret', async () => {
    started = await start({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }, dataDir);
    const { base } = started;
    const created = await fetch(`${base}${API}/user/token`, {
      method: 'POST',
      headers: { Authorization: basic('admin', 'admin'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ tokenDescription: 'access log', tokenValidityTimeInMonths: 3, tokenScope: 1 }),
    });
    expect(created.status).to.equal(200);
    const token = (await created.json()) as { id: number; plainTextToken: string };

    const bearer = await fetch(`${base}/rest/api/2/myself?os_password=query-s3cret&jwt=query-jwt`, {
      headers: { Authorization: `Bearer ${token.plainTextToken}`, 'X-Custom': 'header-s3cret', Cookie: 'JSESSIONID=cookie-s3cret' },
    });
    expect(bearer.status).to.equal(200);
    const wrongPassword = await fetch(`${base}/rest/api/2/myself`, { headers: { Authorization: basic('admin', 'basic-pa55word') } });
    expect(wrongPassword.status).to.equal(401);
    const posted = await fetch(`${base}/rest/api/2/issue`, {
      method: 'POST',
      headers: { Authorization: basic('admin', 'admin'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ fields: { project: { key: 'TEST' }, summary: 'body-s3cret', issuetype: { name: 'Task' } } }),
    });
    expect(posted.status).to.equal(201);
    await (await fetch(`${base}/rest/api/2/serverInfo;jsessionid=path-s3cret`)).text();
    // A token pasted into the path (as an issue key), plainly and with its prefix percent-encoded.
    const adminAuth = { headers: { Authorization: basic('admin', 'admin') } };
    expect((await fetch(`${base}/rest/api/2/issue/${token.plainTextToken}/comment`, adminAuth)).status).to.equal(404);
    const encoded = token.plainTextToken.replace(/^apitok_/, '%61PITOK%5f');
    expect((await fetch(`${base}/rest/api/2/issue/x-${encoded}`, adminAuth)).status).to.equal(404);

    const lines = await accessLines(started, 7);
    expect(lines.map((l) => `${String(l.method)} ${String(l.path)}`)).to.deep.equal([
      `POST /jira${API}/user/token`, 'GET /jira/rest/api/2/myself', 'GET /jira/rest/api/2/myself', 'POST /jira/rest/api/2/issue',
      'GET /jira/rest/api/2/serverInfo', 'GET /jira/rest/api/2/issue/apitok_…/comment', 'GET /jira/rest/api/2/issue/apitok_…',
    ]);
    const [create, viaToken, refused] = lines;
    expect(create).to.include({ level: 'debug', message: 'request', status: 200, user: 'admin', node: 'node-a', completed: true });
    expect(create).not.to.have.property('tokenId');
    expect(viaToken).to.include({ status: 200, user: 'admin', tokenId: String(token.id), node: 'node-a' });
    expect(viaToken.durationMs).to.be.a('number').and.at.least(0);
    expect(viaToken.requestId).to.be.a('string');
    expect(refused).to.include({ status: 401, node: 'node-a' });
    expect(refused).not.to.have.property('user');

    const log = started.stderr();
    for (const secret of [token.plainTextToken, token.plainTextToken.slice(-20), 'query-s3cret', 'query-jwt', 'header-s3cret', 'cookie-s3cret',
      'path-s3cret', 'body-s3cret', 'basic-pa55word', Buffer.from('admin:basic-pa55word').toString('base64'), 'os_password']) {
      expect(log, secret).not.to.contain(secret);
    }
  });

  it('should write readable text lines with LOG_FORMAT=text', async () => {
    started = await start({ LOG_LEVEL: 'debug', LOG_FORMAT: 'text' }, dataDir);
    expect((await fetch(`${started.base}/status?probe=1`)).status).to.equal(200);
    const deadline = Date.now() + 5000;
    let line: string | undefined;
    while (!line && Date.now() < deadline) {
      line = started.stderr().split('\n').find((l) => l.includes('[AccessLog]'));
      if (!line) await new Promise((r) => setTimeout(r, 50));
    }
    expect(line).to.match(/^\d{4}-\d\d-\d\dT\S+ DEBUG \[AccessLog\] request method=GET path=\/jira\/status status=200 durationMs=[\d.]+ requestId=\S+ completed=true node=node-a$/);
    expect(started.stderr()).to.match(/ INFO \[HostServer\] Host started url=http:\/\/localhost:\d+\/jira /);
    expect(started.stderr()).not.to.match(/^\{/m);
  });

  it('should write no access line at the default level', async () => {
    started = await start({ LOG_FORMAT: 'json' }, dataDir);
    expect((await fetch(`${started.base}/rest/api/2/myself`, { headers: { Authorization: basic('admin', 'admin') } })).status).to.equal(200);
    await new Promise((r) => setTimeout(r, 200));
    const entries = started.stderr().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map((e) => e.message)).to.include('Host started');
    expect(entries.filter((e) => e.module === 'AccessLog')).to.deep.equal([]);
  });
});
