// A bench that dies unexpectedly — an exception, or its output piped into a command that stopped
// reading (`npm run bench | head`: EPIPE) — used to leave the host process it had started running,
// found an hour later still listening (2026-12-05). Its hosts go with it, whatever ends it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('bench host processes', function () {
  this.timeout(120_000);
  // The host makes its data folder (database, log) under the temporary folder; the bench that
  // would remove it is killed here on purpose, so the bench and its host get a private one.
  let tmp = '';
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-host-cleanup-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('should not outlive a bench process that dies of an uncaught error', async () => {
    const script = "require('./bench/lib/host-process').startHostProcess({}).then((h) => { console.log(h.pid); throw new Error('bench died'); });";
    const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, 'the bench process failed').to.not.equal(0);
    const pid = Number(out.trim());
    expect(pid, out).to.be.greaterThan(0);
    // SIGKILL is delivered at once; give the kernel a moment to reap it.
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    const left = alive(pid);
    if (left) process.kill(pid, 'SIGKILL');
    expect(left, `host ${pid} still running`).to.equal(false);
  });
});
