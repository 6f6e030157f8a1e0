// Starts the product (host + plugin) as a separate process, as `npm start` does, and waits
// until it answers. The load generator never shares a process with the server it measures.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('../../scripts/mariadb-server');

const ROOT = path.resolve(__dirname, '..', '..');
/**
 * Extra V8 flags for the host: none, as `npm start`. A 64 MiB young-generation semi-space was
 * tried (bench/README.md): +10% req/s and a steadier sequential p99, but p99 under 16
 * connections went from ~7 ms to ~13 ms (rarer, longer scavenges stall every queued request).
 */
const START_FLAGS = [];

/** Host processes started and not yet exited (killed by {@link killHostsNow} when the bench is interrupted). */
const running = new Set();

/** Kills every host process this bench started that is still running (synchronous, for a signal handler). */
function killHostsNow() {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

// Whatever ends the bench — its last line, an uncaught error, EPIPE on a closed pipe — its hosts go
// with it (`exit` handlers run synchronously, which kill is).
process.on('exit', killHostsNow);

/** @returns {Promise<{baseUrl: string, pid: number, stop(): Promise<void>, dataDir: string}>} */
async function startHostProcess({ dbUrl, product = 'jira', env = {}, dataDir, nodeArgs = [] } = {}) {
  const port = await freePort();
  const dir = dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-bench-'));
  const logFile = path.join(dir, 'host.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath,
    [...START_FLAGS, ...nodeArgs, '-r', 'ts-node/register/transpile-only', 'host-sim/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env, PRODUCT: product, PORT: String(port), DATA_DIR: dir, LOG_LEVEL: 'warn',
        DEV_MODE: 'true', NODE_ENV: 'production', BASE_URL: '', CONTEXT_PATH: product === 'jira' ? '/jira' : '/confluence',
        ...(dbUrl ? { DB_URL: dbUrl } : {}), ...env,
      },
      stdio: ['ignore', out, out],
    });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const baseUrl = `http://127.0.0.1:${port}${product === 'jira' ? '/jira' : '/confluence'}`;
  const deadline = Date.now() + 120000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`host exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${baseUrl}/rest/api/2/serverInfo`);
      if (res.status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`host did not start; see ${logFile}`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl, pid: child.pid, dataDir: dir, logFile,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // The grace timer is cleared once the host has exited: left running, the last one kept
      // the bench process alive for up to 20 s after its report.
      let timer;
      await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 20000); })]);
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** Resident set size of a process in bytes (Linux /proc). */
function rssOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : NaN;
}

module.exports = { startHostProcess, killHostsNow, rssOf, START_FLAGS };
