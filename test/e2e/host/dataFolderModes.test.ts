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

/** Resolves with what `child` printed once it says it is running. */
function runningOutput(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => { output += c.toString(); if (output.includes('running at')) resolve(output); });
    child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
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
    await runningOutput(child);
    const files = ['', 'jira.db', 'jira.db-wal', 'jira.db-shm'].map((name) => path.join(dataDir, name)).filter((f) => fs.existsSync(f));
    expect(files.length, 'DATA_DIR and jira.db exist').to.be.at.least(2);
    for (const file of files) expect(sharedBits(file).toString(8), file).to.equal('0');
  });

  it('should take group and others\' rights away from a database an earlier version made in DATA_DIR, and say so', async () => {
    const dataDir = path.join(parent, 'data');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    // An empty file is an empty SQLite database.
    fs.writeFileSync(path.join(dataDir, 'jira.db'), '', { mode: 0o644 });
    fs.chmodSync(path.join(dataDir, 'jira.db'), 0o644);
    const port = await freePort();
    const tsNode = path.join(ROOT, 'node_modules', '.bin', 'ts-node');
    child = spawn(tsNode, ['--transpile-only', 'host-sim/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, PLUGIN_DESCRIPTORS: TEST_PLUGIN_DESCRIPTOR, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = await runningOutput(child);
    expect(sharedBits(path.join(dataDir, 'jira.db')).toString(8)).to.equal('0');
    expect(output).to.include(`chmod 600 ${path.join(dataDir, 'jira.db')}`);
    // The folder may hold the user's other things (a home folder): left as it is.
    expect(sharedBits(dataDir).toString(8)).to.equal('55');
  });
});
