import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ROOT, TEST_PLUGIN_DESCRIPTOR } from '../../support/hostServer';
import { killAndWait } from '../../support/childProcess';
import { freePort } from '../../support/freePort';


function waitForOutput(child: ChildProcess, pattern: RegExp, output: { text: string }): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output.text += chunk.toString();
      const match = pattern.exec(output.text);
      if (match) resolve(match);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => { output.text += chunk.toString(); });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output.text}`)));
  });
}

describe('npm start (host-sim/main.ts)', function () {
  this.timeout(60000);
  let dataDir: string;
  let child: ChildProcess | null = null;
  beforeEach(() => { dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-main-')); });
  afterEach(async () => {
    await killAndWait(child);
    child = null;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function start(env: Record<string, string>): ChildProcess {
    return spawn(path.join(ROOT, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'host-sim/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, PLUGIN_DESCRIPTORS: TEST_PLUGIN_DESCRIPTOR, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  it('should start Jira with SQLite in DATA_DIR, answer curl with admin/admin and stop cleanly on SIGTERM', async () => {
    const port = await freePort();
    const output = { text: '' };
    child = start({ PORT: String(port) });
    const [, url] = await waitForOutput(child, /running at (\S+)\n[\s\S]*Database: (\S+)/, output);
    expect(url).to.equal(`http://localhost:${port}/jira`);
    expect(output.text).to.contain('admin / admin');
    expect(fs.existsSync(path.join(dataDir, 'jira.db'))).to.equal(true);
    const curl = spawnSync('curl', ['-s', '-u', 'admin:admin', `http://127.0.0.1:${port}/jira/rest/api/2/myself`], { encoding: 'utf8' });
    expect(curl.status).to.equal(0);
    expect(JSON.parse(curl.stdout)).to.include({ name: 'admin', key: 'admin' });
    const exited = new Promise<number | null>((r) => child?.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });

  it('should finish its orderly stop with exit code 0 when a second stop signal follows the first (Ctrl-C reaches it from the terminal and from npm)', async () => {
    const port = await freePort();
    const output = { text: '' };
    child = start({ PORT: String(port), LOG_LEVEL: 'info' });
    await waitForOutput(child, /running at /, output);
    const exited = new Promise<number | null>((r) => child?.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    // The second one once the first is being handled (two sent back to back arrive as one).
    await waitForOutput(child, /SIGINT received/, output);
    child.kill('SIGINT');
    expect(await exited, output.text.slice(-2000)).to.equal(0);
    expect(output.text).to.contain('Host stopped');
  });

  // Ctrl-C in a terminal signals the whole process group; a supervisor or IDE may signal npm alone.
  for (const to of ['the npm process alone', 'the process group, as Ctrl-C does'] as const) {
    it(`should stop the host when SIGINT reaches ${to}`, async () => {
      const port = await freePort();
      const output = { text: '' };
      child = spawn('npm', ['start'], {
        cwd: ROOT, detached: to !== 'the npm process alone',
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', DATA_DIR: dataDir, PLUGIN_DESCRIPTORS: TEST_PLUGIN_DESCRIPTOR, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      await waitForOutput(child, /running at /, output);
      const exited = new Promise<number | null>((r) => child?.on('exit', (code) => r(code)));
      if (to === 'the npm process alone') child.kill('SIGINT');
      else process.kill(-(child.pid as number), 'SIGINT');
      const code = await Promise.race([exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 15_000))]);
      expect(code, 'npm exits').to.not.equal('running');
      // npm is gone; the host it started must be too, not left running without it.
      const stillListening = async (): Promise<boolean> => new Promise((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
        socket.on('error', () => resolve(false));
      });
      let listening = true;
      for (let i = 0; i < 50 && listening; i++) {
        listening = await stillListening();
        if (listening) await new Promise((r) => setTimeout(r, 200));
      }
      expect(listening, 'the host still answers after npm exited').to.equal(false);
      expect(output.text).to.contain('Host stopped');
      expect(output.text).to.not.contain('Stop failed');
    });
  }

  it('should exit non-zero with a clear message when the database is unreachable', async () => {
    const port = await freePort();
    const deadPort = await freePort();
    child = start({ PORT: String(port), DB_URL: `mysql://nobody:secret@127.0.0.1:${deadPort}/nothing` });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((r) => child?.on('exit', (c) => r(c)));
    expect(code).to.equal(1);
    expect(stderr).to.match(/^Cannot start: DB_URL=mysql:\/\/nobody:\*\*\*@/);
    expect(stderr).not.to.contain('secret');
  });

  it('should exit with code 1 on an invalid setting', async () => {
    child = start({ PRODUCT: 'bamboo' });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
    const code = await new Promise<number | null>((r) => child?.on('exit', (c) => r(c)));
    expect(code).to.equal(1);
    expect(stderr).to.contain('PRODUCT=bamboo');
  });
});
