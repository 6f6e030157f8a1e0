#!/usr/bin/env node
// `npm test`: installs the Debian packages the suites need when they are missing (as root with
// apt-get; otherwise it prints the command to run and stops, see scripts/ensure-system-packages.js),
// starts a throwaway MariaDB and a throwaway PostgreSQL on free 127.0.0.1 ports (unless
// TEST_MYSQL_URL / TEST_PG_URL are given, or TEST_DATABASES leaves one out), runs every mocha
// suite against them and the embedded SQLite, then stops them. Nothing is skipped.
//
// The test files run in parallel (mocha --parallel, TEST_JOBS worker processes, default one more
// than the cores, 2 to 4): every suite makes its own databases, ports and temporary folders, so files
// never share state, and much of a suite's time is spent waiting (on node processes starting, on
// cluster polling, on the browser). The slowest files are queued first; the few files that
// assert on latency under load run afterwards, alone (RUN_ALONE). The slowest files of the run
// are listed at the end. TEST_JOBS=1 runs every file one after the other in one process.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureSystemPackages, testDatabaseKinds } = require('../scripts/ensure-system-packages');
const { startMariaDb } = require('../scripts/mariadb-server');
const { startPostgres } = require('../scripts/postgres-server');

const ROOT = path.resolve(__dirname, '..');

const DEFAULT_SPECS = ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts', 'test/e2e/**/*.test.ts', 'examples/*/test/**/*.test.ts'];

/**
 * Where a file goes in the queue: the long ones first, so that no worker starts a two-minute file
 * while the others run out of work. Directories by their typical time per file (processes,
 * clusters, browsers first), the unit tests last. Files not named here keep their directory's rank.
 */
const QUEUE_ORDER = [
  'test/e2e/bench/benchSmoke', 'test/e2e/cluster/haproxyFailover', 'test/e2e/plugin/prototypeFuzz', 'test/e2e/ui/PageAccessAndLocale',
  'test/e2e/host/operatorErrors', 'test/e2e/plugin/incidentSortExport', 'test/e2e/cluster/', 'test/e2e/ui/', 'test/e2e/bench/',
  'test/e2e/host/npmStart', 'test/e2e/host/accessLog', 'test/e2e/', 'test/contract/', 'examples/', 'test/',
];

/**
 * Workers of a parallel run: one more than the cores (at least two, at most four). A full run with
 * one worker per core kept the two cores of a CI machine busy less than half the time (its files
 * wait on node processes, cluster polls, browsers and databases): 14 min there, 11 with three
 * workers, the CPU time the same. More would starve the suites that start node processes.
 */
const DEFAULT_JOBS = Math.max(2, Math.min(4, os.availableParallelism() + 1));

/**
 * Files that assert on latency under load (HAProxy health checks of 250 ms, a p99 bound, a node's
 * change-log poll staying within its 5-s lag limit under 2,000 requests in flight), and a file
 * that keeps every core busy on purpose: they run after the parallel part, one after the other,
 * with nothing else on the machine.
 */
const RUN_ALONE = [
  'test/e2e/cluster/haproxyFailover.test.ts', 'test/e2e/restrictions/compileCost.test.ts', 'test/e2e/cluster/changeLogBacklog.test.ts',
  // The same serverInfo p99 bound (50 ms) as compileCost, measured while 1.1 MB listings are served.
  'test/e2e/restrictions/listingCost.test.ts',
  // Spinning threads keep the cores busy for a few seconds (they would slow the others).
  'test/unit/restrictions/compileBackstopThreads.test.ts',
];

/** The files under the repository matching a glob of `*`, `**` and `?` (paths with `/`, sorted). */
function expandGlob(pattern) {
  const fixed = pattern.split(/[*?]/)[0];
  const base = fixed.includes('/') ? fixed.slice(0, fixed.lastIndexOf('/')) : '.';
  const source = pattern.split(/(\*\*\/|\*|\?)/).map((part) => {
    if (part === '**/') return '(?:[^/]+/)*';
    if (part === '*') return '[^/]*';
    if (part === '?') return '[^/]';
    return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }).join('');
  const re = new RegExp(`^${source}$`);
  let entries;
  try {
    entries = fs.readdirSync(path.join(ROOT, base), { recursive: true, withFileTypes: false });
  } catch {
    return [];
  }
  return entries.map((e) => (base === '.' ? e : `${base}/${e}`).split(path.sep).join('/'))
    .filter((f) => !f.includes('node_modules/') && re.test(f)).sort();
}

/** The spec arguments expanded to files, slowest-looking first (mocha keeps the order it is given). */
function queuedFiles(specs) {
  const files = [];
  for (const spec of specs) {
    const found = /[*?]/.test(spec) ? expandGlob(spec) : [spec];
    if (found.length === 0) files.push(spec); // let mocha say that nothing matched
    for (const f of found) if (!files.includes(f)) files.push(f);
  }
  const rank = (file) => {
    const relative = path.isAbsolute(file) ? path.relative(ROOT, file) : file;
    const i = QUEUE_ORDER.findIndex((prefix) => relative.split(path.sep).join('/').startsWith(prefix));
    return i === -1 ? QUEUE_ORDER.length : i;
  };
  return files.map((file, i) => ({ file, i, rank: rank(file) })).sort((a, b) => a.rank - b.rank || a.i - b.i).map((e) => e.file);
}

/** Prints the slowest files of the run from the lines of the fileTimings plugin (test/support/fileTimings.js). */
function printSlowest(timingsFile) {
  let rows;
  try {
    rows = fs.readFileSync(timingsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  } catch {
    return;
  }
  if (rows.length < 2) return;
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  console.log(`slowest test files (of ${rows.length}, ${(total / 1000).toFixed(0)} s in all workers together):`);
  for (const r of rows.sort((a, b) => b.ms - a.ms).slice(0, 12)) {
    console.log(`${(r.ms / 1000).toFixed(1).padStart(8)} s  ${r.file} (${r.tests} tests)`);
  }
}

async function main() {
  const args = process.argv.slice(2);
  // Mocha options come first (`--grep x` or `--grep=x`); test files and globs are the rest.
  const isSpec = (a, i) => !a.startsWith('-')
    && (/[*?]|\.test\.[jt]s$/.test(a) || i === 0 || !args[i - 1].startsWith('--') || args[i - 1].includes('='));
  const options = args.filter((a, i) => !isSpec(a, i));
  const specs = args.filter((a, i) => isSpec(a, i));
  if (!ensureSystemPackages({ specs })) process.exit(2);
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
  const files = queuedFiles(specs.length ? specs : DEFAULT_SPECS);
  const jobs = Number(env.TEST_JOBS || DEFAULT_JOBS);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`TEST_JOBS must be a whole number ≥ 1, not ${env.TEST_JOBS}`);
  const timings = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-test-times-')), 'files.jsonl');
  env.TEST_TIMINGS_FILE = timings;
  const alone = jobs > 1 ? files.filter((f) => RUN_ALONE.some((name) => f.split(path.sep).join('/').endsWith(name))) : [];
  const together = files.filter((f) => !alone.includes(f));
  const phases = [
    together.length > 1 && jobs > 1 ? { files: together, jobs } : { files: together, jobs: 1 },
    { files: alone, jobs: 1 },
  ].filter((phase) => phase.files.length > 0);
  console.log(`${files.length} test files${jobs > 1 ? `, ${jobs} at a time${alone.length ? ` (then ${alone.length} alone)` : ''}` : ''}`);
  const total = { passing: 0, failing: 0, pending: 0 };
  let exitCode = 0;
  let current = null;
  let interrupted = false;
  process.on('SIGINT', () => {
    interrupted = true;
    if (current) current.kill('SIGINT');
  });
  for (const phase of phases) {
    if (interrupted) break;
    const parallel = phase.jobs > 1 ? ['--parallel', '--jobs', String(phase.jobs)] : [];
    const { code, counts } = await runMocha([...parallel, '--require', 'test/support/fileTimings.js', ...options, ...phase.files],
      env, (child) => { current = child; });
    for (const k of Object.keys(total)) total[k] += counts[k];
    if (code !== 0 && exitCode === 0) exitCode = code;
  }
  printSlowest(timings);
  // TEST_TIMINGS_KEEP=<file>: every file's time (one JSON line each), for finding what slows the run.
  if (process.env.TEST_TIMINGS_KEEP && fs.existsSync(timings)) fs.copyFileSync(timings, process.env.TEST_TIMINGS_KEEP);
  fs.rmSync(path.dirname(timings), { recursive: true, force: true });
  console.log(`tests: ${total.passing} passed, ${total.failing} failed${total.pending ? `, ${total.pending} skipped` : ''}`);
  await Promise.all(servers.map((server) => server.stop()));
  process.exit(exitCode);
}

/**
 * Runs mocha once; resolves to its exit code and the counts of its summary. Its output is passed
 * through; the counts close the run with one plain line (`tests: N passed, N failed`) that any CI
 * log reader understands.
 */
function runMocha(args, env, started) {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'mocha'), args, { cwd: ROOT, env, stdio: ['inherit', 'pipe', 'inherit'] });
    started(child);
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
    child.on('close', (code, signal) => resolve({ code: code === null ? (signal ? 1 : 0) : code, counts }));
  });
}

main().catch((err) => { console.error(err); process.exit(1); });
