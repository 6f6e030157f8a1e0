#!/usr/bin/env node
// `npm test`: installs the Debian packages the suites need when they are missing (as root with
// apt-get; otherwise it prints the command to run and stops, see scripts/ensure-system-packages.js),
// starts a throwaway MariaDB and a throwaway PostgreSQL on free 127.0.0.1 ports (unless
// TEST_MYSQL_URL / TEST_PG_URL are given, or TEST_DATABASES leaves one out), runs every mocha
// suite against them and the embedded SQLite, then stops them. Nothing is skipped.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { ensureSystemPackages, testDatabaseKinds } = require('../scripts/ensure-system-packages');
const { startMariaDb } = require('../scripts/mariadb-server');
const { startPostgres } = require('../scripts/postgres-server');

const ROOT = path.resolve(__dirname, '..');

async function main() {
  const args = process.argv.slice(2);
  if (!ensureSystemPackages({ specs: args.filter((a) => !a.startsWith('-')) })) process.exit(2);
  const env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL || 'warn' };
  const kinds = testDatabaseKinds(env);
  const [mariadb, postgres] = await Promise.all([
    kinds.includes('mariadb') && !env.TEST_MYSQL_URL ? startMariaDb() : null,
    kinds.includes('postgres') && !env.TEST_PG_URL ? startPostgres() : null,
  ]);
  const servers = [mariadb, postgres].filter(Boolean);
  if (mariadb) {
    env.TEST_MYSQL_URL = mariadb.url;
    console.log(`MariaDB for tests: ${mariadb.url}`);
  }
  if (postgres) {
    env.TEST_PG_URL = postgres.url;
    console.log(`PostgreSQL for tests: ${postgres.url}`);
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
  const stop = () => Promise.all(servers.map((server) => server.stop()));
  process.on('SIGINT', () => { child.kill('SIGINT'); });
  child.on('close', (code, signal) => {
    console.log(`tests: ${counts.passing} passed, ${counts.failing} failed${counts.pending ? `, ${counts.pending} skipped` : ''}`);
    stop().finally(() => process.exit(code === null ? (signal ? 1 : 0) : code));
  });
}

main().catch((err) => { console.error(err); process.exit(1); });
