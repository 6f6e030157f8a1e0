// A second `npm start` on the same SQLite database while the first still runs — what a newcomer
// does who follows the busy-port hint ("set PORT to a free port") in a second terminal. Both
// processes were node1 on one file: the second started, and the first, reading a change-log row
// under its NODE_ID that it had not written, answered every token and password request with 503
// "The database cannot be reached right now" until restarted (found by the newcomer walkthrough,
// 2026-12-05). SQLite serves one node, so the second start is refused with one line instead.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { killAndWait, runStartCommand, startUntilBanner } from '../../support/childProcess';
import { freePort } from '../../support/freePort';
import { sendRequest } from '../../../host-sim/testing';

describe('npm start: a second process on the same SQLite file', function () {
  this.timeout(60_000);
  let tmp: string;
  let first: ChildProcess | null = null;

  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-second-start-')); });
  afterEach(async () => {
    await killAndWait(first);
    first = null;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('should refuse the second start with one line naming DATA_DIR and the running process, and leave the first answering', async () => {
    const dataDir = path.join(tmp, 'data');
    const port = await freePort();
    first = (await startUntilBanner({ DATA_DIR: dataDir, PORT: String(port) })).child;

    const second = await runStartCommand({ DATA_DIR: dataDir, PORT: String(await freePort()), LOG_LEVEL: 'warn' }, { untilRunning: true });
    expect(second.code, second.stdout + second.stderr).to.equal(1);
    expect(second.stdout).to.equal('');
    const lines = second.stderr.trimEnd().split('\n');
    expect(lines, second.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^Cannot start: DATA_DIR=/);
    expect(lines[0]).to.contain(dataDir);
    expect(lines[0]).to.contain(`pid ${first.pid}`);

    // The refused process wrote nothing under node1: the first node still trusts its caches.
    await new Promise((r) => setTimeout(r, 1000));
    const base = `http://127.0.0.1:${port}/jira`;
    expect((await sendRequest(`${base}/status`)).status).to.equal(200);
    expect((await sendRequest(`${base}/rest/api/2/myself`, { auth: ['admin', 'admin'] })).status).to.equal(200);
  });

  it('should name DB_URL when the SQLite file lies outside DATA_DIR, and no URL for a first process on PORT=0', async () => {
    const file = path.join(tmp, 'shared.db');
    first = (await startUntilBanner({ DATA_DIR: path.join(tmp, 'one'), DB_URL: `sqlite:${file}`, PORT: '0' })).child;

    const second = await runStartCommand({ DATA_DIR: path.join(tmp, 'two'), DB_URL: `sqlite:${file}`, PORT: '0', LOG_LEVEL: 'warn' }, { untilRunning: true });
    expect(second.code, second.stdout + second.stderr).to.equal(1);
    expect(second.stderr.trimEnd().split('\n'), second.stderr).to.have.length(1);
    expect(second.stderr).to.match(new RegExp(`^Cannot start: DB_URL=sqlite:${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(second.stderr).to.contain(`(pid ${first.pid})`);
  });

  // Attack review 25: the claim named the file as DB_URL spelled it, so another name for the same
  // file (a symbolic link, as a newcomer makes to keep one database for two checkouts) took a
  // second lock beside the first, and two node1 processes shared the database again.
  it('should refuse a second start on another name (a symbolic link) for the file the first one uses', async () => {
    const dataDir = path.join(tmp, 'data');
    first = (await startUntilBanner({ DATA_DIR: dataDir, PORT: String(await freePort()) })).child;
    const real = path.join(dataDir, fs.readdirSync(dataDir).find((f) => f.endsWith('.db')) as string);
    const other = path.join(tmp, 'other');
    fs.mkdirSync(other, { mode: 0o700 });
    const link = path.join(other, 'link.db');
    fs.symlinkSync(real, link);

    const second = await runStartCommand({ DATA_DIR: path.join(tmp, 'two'), DB_URL: `sqlite:${link}`, PORT: String(await freePort()), LOG_LEVEL: 'warn' }, { untilRunning: true });
    expect(second.code, second.stdout + second.stderr).to.equal(1);
    expect(second.stderr).to.match(/^Cannot start: DB_URL=/);
    expect(second.stderr).to.contain(`(pid ${first.pid}`);
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`should start again on the same DATA_DIR once the first process has ended (${signal})`, async () => {
      const dataDir = path.join(tmp, 'data');
      first = (await startUntilBanner({ DATA_DIR: dataDir, PORT: String(await freePort()) })).child;
      const exited = new Promise((r) => first?.once('exit', r));
      first.kill(signal);
      await exited;

      first = (await startUntilBanner({ DATA_DIR: dataDir, PORT: String(await freePort()) })).child;
    });
  }
});
