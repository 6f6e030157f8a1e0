// `npm start` seeds a system administrator `admin` with the password `admin`, which is fine on
// 127.0.0.1 (the default) but not on the network: with BIND_ADDRESS=0.0.0.0 — what the README
// tells cluster nodes on other machines to set — anyone who could reach the port was a system
// administrator, and there was no way to change that password (secure-defaults review,
// 2026-12-05). A node listening beyond the loopback refuses to start while `admin` still logs in
// with `admin`; ADMIN_PASSWORD sets that user's password at start.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'chai';
import { killAndWait } from '../../support/childProcess';
import { ROOT, TEST_PLUGIN_DESCRIPTOR, sendRequest, startScriptCommand } from '../../support/hostServer';

interface Started { code: number | null; stdout: string; stderr: string; url?: string; stop(): Promise<void> }

/** Starts npm start's command; resolves once it runs (with its URL) or has exited. */
function start(env: Record<string, string>): Promise<Started> {
  const [command, ...args] = startScriptCommand();
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', command), args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NODE_ENV: 'development', LOG_LEVEL: 'warn', PLUGIN_DESCRIPTORS: TEST_PLUGIN_DESCRIPTOR, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: Started = {
    code: null, stdout: '', stderr: '',
    stop: () => killAndWait(child),
  };
  return new Promise((resolve) => {
    child.stdout.on('data', (c: Buffer) => {
      result.stdout += c.toString();
      const url = /running at (\S+)/.exec(result.stdout)?.[1];
      if (url) resolve({ ...result, url });
    });
    child.stderr.on('data', (c: Buffer) => { result.stderr += c.toString(); });
    child.on('close', (code) => resolve({ ...result, code }));
  });
}

/** The URL with 127.0.0.1 for the host (reached over the loopback, whatever the node listens on). */
function local(url: string): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  return u.toString().replace(/\/$/, '');
}

describe('npm start beyond the loopback: not with the default admin password', function () {
  this.timeout(90_000);
  let dataDir: string;
  const running: Started[] = [];
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-exposed-')); });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('should refuse to listen on every interface while admin logs in with admin, naming BIND_ADDRESS and the fix', async () => {
    for (const address of ['0.0.0.0', '::']) {
      const outcome = await start({ DATA_DIR: dataDir, BIND_ADDRESS: address });
      running.push(outcome);
      expect(outcome.url, outcome.stdout).to.equal(undefined);
      expect(outcome.code, outcome.stderr).to.equal(1);
      expect(outcome.stderr).to.match(new RegExp(`^Cannot start: BIND_ADDRESS=${address.replace(/[.]/g, '\\.')}: .*ADMIN_PASSWORD`));
    }
  });

  it('should start there with ADMIN_PASSWORD, which replaces the password admin', async () => {
    const outcome = await start({ DATA_DIR: dataDir, BIND_ADDRESS: '0.0.0.0', ADMIN_PASSWORD: 'a-long-one-of-my-own' });
    running.push(outcome);
    expect(outcome.url, outcome.stderr).to.be.a('string');
    const base = local(outcome.url as string);
    expect((await sendRequest(`${base}/rest/api/2/myself`, { auth: ['admin', 'admin'] })).status).to.equal(401);
    expect((await sendRequest(`${base}/rest/api/2/myself`, { auth: ['admin', 'a-long-one-of-my-own'] })).status).to.equal(200);
    expect(outcome.stdout).to.not.include('a-long-one-of-my-own');
    expect(outcome.stdout).to.not.include('admin / admin');
  });

  it('should still start on 127.0.0.1 with admin / admin, as the README says', async () => {
    const outcome = await start({ DATA_DIR: dataDir });
    running.push(outcome);
    expect(outcome.url, outcome.stderr).to.be.a('string');
    expect((await sendRequest(`${local(outcome.url as string)}/rest/api/2/myself`, { auth: ['admin', 'admin'] })).status).to.equal(200);
  });
  // Attack review 25: the password admin was refused only at start. Whatever gave admin that
  // password again while the node ran — another node's ADMIN_PASSWORD=admin on the shared
  // database, the user made active again — let everyone who reaches the port in as a system
  // administrator.
  it('should keep refusing admin / admin on a running node beyond the loopback, whatever gives admin that password again', async () => {
    const seeded = await start({ DATA_DIR: dataDir });
    expect(seeded.url, seeded.stderr).to.be.a('string');
    await seeded.stop();
    const file = path.join(dataDir, 'jira.db');
    const read = new BetterSqlite3(file, { readonly: true });
    const adminAdmin = (read.prepare("SELECT CREDENTIAL FROM HOST_USER WHERE LOWER_USER_NAME = 'admin'").get() as { CREDENTIAL: string }).CREDENTIAL;
    read.close();

    const exposed = await start({ DATA_DIR: dataDir, BIND_ADDRESS: '0.0.0.0', ADMIN_PASSWORD: 'a-long-one-of-my-own' });
    running.push(exposed);
    expect(exposed.url, exposed.stderr).to.be.a('string');
    const myself = `${local(exposed.url as string)}/rest/api/2/myself`;
    expect((await sendRequest(myself, { auth: ['admin', 'a-long-one-of-my-own'] })).status).to.equal(200);
    // What another node started with ADMIN_PASSWORD=admin writes to the database they share.
    const write = new BetterSqlite3(file);
    write.pragma('busy_timeout = 5000');
    write.prepare("UPDATE HOST_USER SET CREDENTIAL = ? WHERE LOWER_USER_NAME = 'admin'").run(adminAdmin);
    write.close();
    expect((await sendRequest(myself, { auth: ['admin', 'a-long-one-of-my-own'] })).status, 'the node reads the new password').to.equal(401);
    expect((await sendRequest(myself, { auth: ['admin', 'admin'] })).status, 'admin / admin').to.equal(401);
    expect((await sendRequest(myself, { auth: ['ADMIN', 'admin'] })).status, 'ADMIN / admin').to.equal(401);
  });
});
