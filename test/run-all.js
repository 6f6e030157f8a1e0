#!/usr/bin/env node
// `npm test`: installs the Debian packages the suites need when they are missing (as root with
// apt-get; otherwise it prints the command to run and stops, see scripts/ensure-system-packages.js),
// starts a throwaway MariaDB on a free 127.0.0.1 port (unless TEST_MYSQL_URL is given), runs every
// mocha suite against it and the embedded SQLite, then stops it. Nothing is skipped.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ensureSystemPackages } = require('../scripts/ensure-system-packages');
const { startMariaDb } = require('../scripts/mariadb-server');

const ROOT = path.resolve(__dirname, '..');

async function main() {
  const args = process.argv.slice(2);
  if (!ensureSystemPackages({ specs: args.filter((a) => !a.startsWith('-')) })) process.exit(2);
  let db = null;
  const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL || 'warn' };
  if (!env.TEST_MYSQL_URL) {
    db = await startMariaDb();
    env.TEST_MYSQL_URL = db.url;
    console.log(`MariaDB for tests: ${db.url}`);
  }
  const specs = args.length ? args : ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/e2e/**/*.test.ts', 'examples/*/test/**/*.test.ts'];
  const mocha = path.join(ROOT, 'node_modules', '.bin', 'mocha');
  const child = spawn(mocha, specs, { cwd: ROOT, env, stdio: ['inherit', 'pipe', 'inherit'] });
  // Pass mocha's output through and keep its tail, to close with one plain summary line
  // (`tests: N passed, N failed`) that any CI log reader understands.
  const counts = { passing: 0, failing: 0, pending: 0 };
  let partial = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      const m = /^\s*(\d+) (passing|failing|pending)\b/.exec(line);
      if (m) counts[m[2]] = Number(m[1]);
    }
  });
  const stop = async () => { if (db) await db.stop(); };
  process.on('SIGINT', () => { child.kill('SIGINT'); });
  child.on('close', (code, signal) => {
    console.log(`tests: ${counts.passing} passed, ${counts.failing} failed${counts.pending ? `, ${counts.pending} skipped` : ''}`);
    stop().finally(() => process.exit(code === null ? (signal ? 1 : 0) : code));
  });
}

main().catch((err) => { console.error(err); process.exit(1); });
