// What `npm start` leaves on disk for the other users of the machine. It created DATA_DIR and
// the SQLite database (with its -wal and -shm files) under the process's umask: 0755 and 0644 with
// the usual 022, every file world-writable with 000. Every local user read the users' password
// hashes, the token hashes, the audit log and the mail outbox, or — with a lax umask — wrote a
// token row or a session of their own (secure-defaults review, 2026-12-05). Now the folder is
// created 0700 and the database 0600, whatever the umask.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, TEST_PLUGIN_DESCRIPTOR } from '../../support/hostServer';
import { killAndWait } from '../../support/childProcess';
import { freePort } from '../../support/freePort';


/** Permission bits for group and others. */
function sharedBits(file: string): number {
  return fs.statSync(file).mode & 0o077;
}

describe('npm start: the data folder and the SQLite database are its user\'s only', function () {
  this.timeout(60000);
  let parent: string;
  let child: ChildProcess | null = null;
  beforeEach(() => { parent = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-modes-')); });
  afterEach(async () => {
    await killAndWait(child);
    child = null;
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('should create DATA_DIR and the database, its -wal and -shm files without any right for group or others, under umask 000', async () => {
    const dataDir = path.join(parent, 'data');
    const port = await freePort();
    const tsNode = path.join(ROOT, 'node_modules', '.bin', 'ts-node');
    child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$0" --transpile-only host-sim/main.ts', tsNode], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, PLUGIN_DESCRIPTORS: TEST_PLUGIN_DESCRIPTOR, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child?.stdout?.on('data', (c: Buffer) => { output += c.toString(); if (output.includes('running at')) resolve(); });
      child?.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
      child?.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    const files = ['', 'jira.db', 'jira.db-wal', 'jira.db-shm'].map((name) => path.join(dataDir, name)).filter((f) => fs.existsSync(f));
    expect(files.length, 'DATA_DIR and jira.db exist').to.be.at.least(2);
    for (const file of files) expect(sharedBits(file).toString(8), file).to.equal('0');
  });
});
