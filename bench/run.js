#!/usr/bin/env node
// `npm run bench [-- --quick | --smoke] [--soak] [--db sqlite|mariadb|postgres|both|all] [--tokens N] [--out DIR]`
// (`npm run bench -- --help` prints the usage; options: lib/options.js)
//
// Starts the product on each database as a separate process, drives it with autocannon from
// this process over 127.0.0.1 and measures, each between two anonymous runs to cancel machine
// drift (lib/measure.js): anonymous serverInfo, password Basic, token Basic, token Bearer, a restricted
// token (method + URL + JSON-body rule) against the same call with an unrestricted token, and
// a cold-cache pass. The token-vs-anonymous comparison is repeated in fresh host processes
// ("forks", see lib/measure.js). Then it stores many tokens with the bulk seeder and measures
// again, plus tokensByFilter latency (filters, and the first page of every sort order). Writes
// JSON and Markdown under bench/results/.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startMariaDb } = require('../scripts/mariadb-server');
const { startPostgres } = require('../scripts/postgres-server');
const { startHostProcess, killHostsNow, rssOf } = require('./lib/host-process');
const { basic, call, createUser, createToken, ADMIN } = require('./lib/api');
const { runLoad, median, percentile } = require('./lib/load');
const { measureRounds, combineForks } = require('./lib/measure');
const { probeLatency } = require('./lib/latency');
const { BenchUsageError, DATABASE_SETS, parseBenchArgs, usage } = require('./lib/options');
// seed.js and scale.js (and report.js, through scale.js) register ts-node and load the plugin's
// token modules (~1 s): loaded once the command line is read (main), before anything is started
// or measured, so that --help and a refused option answer at once.
let seedTokens;
let scaleScenarios;
let renderMarkdown;
let evaluateBars;
function loadMeasuringModules() {
  ({ seedTokens } = require('./lib/seed'));
  ({ scaleScenarios } = require('./lib/scale'));
  ({ renderMarkdown, evaluateBars } = require('./lib/report'));
}

// forks: host processes per database and table size; rounds × duration: measured load per
// scenario in each fork (after `warmPasses` unmeasured passes of `duration`, two unless given,
// each compared run between two anonymous ones, lib/measure.js); latencySamples: sequential probe
// requests per scenario and fork.
const PROFILES = {
  smoke: { forks: 1, duration: 0.25, rounds: 1, warmPasses: 0, connections: 8, coldTokens: 50, bulkTokens: 2000, filterSamples: 5, latencySamples: 100,
    scale: { spread: [500, 2000], cold: 200, flood: 300 } },
  quick: { forks: 5, duration: 2, rounds: 2, connections: 16, coldTokens: 500, bulkTokens: 100000, filterSamples: 40, latencySamples: 5000,
    scale: { spread: [20000, 200000, 1000000], spreadRounds: 8, spreadForks: 3, cold: 10000, coldForks: 3, flood: 20000 } },
  full: { forks: 5, duration: 3, rounds: 6, connections: 16, coldTokens: 2000, bulkTokens: 1000000, filterSamples: 100, latencySamples: 5000,
    scale: { spread: [20000, 200000, 1000000], spreadRounds: 10, spreadForks: 3, cold: 10000, coldForks: 3, flood: 50000 } },
};
/** The scenarios every fork measures: the comparison the ratio bars are about. */
const COMPARED = ['tokenBasic', 'tokenBearer'];
const CORE = ['anonymous', ...COMPARED];

const API = '/rest/de.resolution.apitokenauth/latest';
/** The sort keys of tokensByFilter (docs/api.md), each measured ascending and descending. */
const SORT_KEYS = ['validUntil', 'created', 'lastAccessed', 'description', 'user'];
const RESTRICTION = '[PUT].*/rest/api/2/issue/TEST-.*[JsonData::fields.summary==bench.*]';

async function prepare(baseUrl, coldTokens) {
  await createUser(baseUrl, 'bench', 'bench-password');
  const userAuth = basic('bench', 'bench-password');
  const rw = await createToken(baseUrl, userAuth, { tokenDescription: 'bench read/write' });
  const restricted = await createToken(baseUrl, userAuth, { tokenDescription: 'bench restricted', restrictions: RESTRICTION });
  const adminToken = await createToken(baseUrl, ADMIN, { tokenDescription: 'bench admin' });
  await call(baseUrl, 'PUT', `${API}/admin/settings`, { auth: ADMIN, body: { maxTokensPerUser: 10000 } });
  const issue = await call(baseUrl, 'POST', '/rest/api/2/issue', {
    auth: ADMIN, body: { fields: { project: { key: 'TEST' }, summary: 'bench target', issuetype: { name: 'Task' } } },
  });
  const cold = [];
  for (let i = 0; i < coldTokens; i++) {
    cold.push((await createToken(baseUrl, userAuth, { tokenDescription: `cold ${i}` })).plainTextToken);
  }
  return { rw: rw.plainTextToken, restricted: restricted.plainTextToken, admin: adminToken.plainTextToken, issueKey: issue.key, cold };
}

function scenarios(baseUrl, t) {
  const myself = `${baseUrl}/rest/api/2/myself`;
  const put = { method: 'PUT', url: `${baseUrl}/rest/api/2/issue/${t.issueKey}`, body: JSON.stringify({ fields: { summary: 'bench run' } }) };
  const json = { 'content-type': 'application/json' };
  return [
    { key: 'anonymous', label: 'anonymous GET serverInfo', url: `${baseUrl}/rest/api/2/serverInfo` },
    { key: 'password', label: 'password Basic GET myself', url: myself, headers: { authorization: basic('bench', 'bench-password') } },
    { key: 'tokenBasic', label: 'token Basic GET myself', url: myself, headers: { authorization: basic('bench', t.rw) }, countStatements: true },
    { key: 'tokenBearer', label: 'token Bearer GET myself', url: myself, headers: { authorization: `Bearer ${t.rw}` }, countStatements: true },
    // The same anonymous endpoint with a token: isolates what the filter itself costs.
    { key: 'tokenBearerServerInfo', label: 'token Bearer GET serverInfo (filter cost alone)', url: `${baseUrl}/rest/api/2/serverInfo`, headers: { authorization: `Bearer ${t.rw}` } },
    { key: 'unrestrictedPut', label: 'token PUT issue (no restrictions)', ...put, headers: { ...json, authorization: `Bearer ${t.rw}` } },
    { key: 'restrictedPut', label: 'restricted token PUT issue (method+URL+body rule)', ...put, headers: { ...json, authorization: `Bearer ${t.restricted}` } },
  ];
}

async function coldPass(host, tokens, profile) {
  let i = 0;
  const r = await runLoad({
    url: `${host.baseUrl}/rest/api/2/myself`, amount: tokens.length, connections: profile.connections,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[i++ % tokens.length]}` } }) }],
  });
  return { label: `cold cache: ${tokens.length} tokens, first use each`, rps: r.rps, p50: r.p50, p99: r.p99, non2xx: r.non2xx, errors: r.errors };
}

async function filterLatency(host, adminToken, samples) {
  const now = Date.now();
  return queryLatency(host, adminToken, samples, {
    'by user': `userFilter=benchuser42`,
    'by description': `descriptionFilter=nightly`,
    'expiring within 30 days': `fromExpiresDuring=${now}&untilExpiresDuring=${now + 30 * 86400000}`,
    'deep page': `page=1000&limit=50`,
  });
}

/** The first page (50 tokens, no filter) of every sort order of tokensByFilter, as the Token Manager asks for it. */
async function sortLatency(host, adminToken, samples) {
  const queries = {};
  for (const sort of SORT_KEYS) for (const order of ['asc', 'desc']) queries[`${sort} ${order}`] = `sort=${sort}&order=${order}&limit=50`;
  return queryLatency(host, adminToken, samples, queries);
}

/** `samples` sequential requests of each tokensByFilter query through the admin token: the first one, then p50/p95 of the rest. */
async function queryLatency(host, adminToken, samples, queries) {
  const auth = `Bearer ${adminToken}`;
  const out = {};
  for (const [name, q] of Object.entries(queries)) {
    const times = [];
    for (let i = 0; i < samples; i++) {
      const t0 = process.hrtime.bigint();
      await call(host.baseUrl, 'GET', `${API}/user/tokensByFilter?${q}`, { auth });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    // The first request of a filter also counts its total (then cached per node until a token
    // changes): reported on its own, so the p50/p95 of paging do not hide it.
    out[name] = { first: times[0], p50: percentile(times.slice(1), 50), p95: percentile(times.slice(1), 95) };
  }
  return out;
}

async function soak(host, token, log) {
  const samples = [];
  const timer = setInterval(() => samples.push({ t: Date.now(), rss: rssOf(host.pid) }), 5000);
  const r = await runLoad({ url: `${host.baseUrl}/rest/api/2/myself`, headers: { authorization: `Bearer ${token}` }, duration: 300, connections: 16 });
  clearInterval(timer);
  const first = median(samples.slice(0, 12).map((s) => s.rss));
  const last = median(samples.slice(-12).map((s) => s.rss));
  log(`  soak: ${r.rps.toFixed(0)} req/s, RSS first minute ${(first / 1048576).toFixed(1)} MiB, last minute ${(last / 1048576).toFixed(1)} MiB`);
  return { rps: r.rps, rssFirstMiB: first / 1048576, rssLastMiB: last / 1048576, changePct: ((last - first) / first) * 100 };
}

/**
 * Measures the compared scenarios in `forks` fresh host processes on the same database (the
 * first fork may be given, already running and measured). Returns the per-fork results.
 */
async function forkRuns(dbUrl, dataDir, tokens, profile, log, first) {
  const forks = first ? [first] : [];
  while (forks.length < profile.forks) {
    const host = await startHostProcess({ dbUrl, dataDir });
    try {
      log(`  fork ${forks.length + 1}/${profile.forks} (pid ${host.pid})`);
      const core = scenarios(host.baseUrl, tokens).filter((s) => CORE.includes(s.key));
      const measured = await measureRounds(host, core, profile, log);
      const latency = await probeLatency(core, profile.latencySamples);
      forks.push({ pid: host.pid, scenarios: measured, latency });
    } finally {
      await host.stop();
    }
  }
  return forks;
}

function logForks(label, combined, log) {
  for (const [k, v] of Object.entries(combined)) {
    log(`  ${label} ${k}: ${(v.ratio * 100).toFixed(1)}% of anonymous (forks ${v.forkRatios.map((r) => (r * 100).toFixed(0)).join(', ')})`
      + `${v.p99AddedMs === undefined ? '' : `, p99 added ${v.p99AddedMs.toFixed(2)} ms`}`);
  }
}

/** The database server of the run in progress, stopped by {@link stopOnSignal} too. */
let currentServer = null;

/**
 * Ctrl-C or SIGTERM: kill the host processes and stop the database server before exiting (a
 * bench killed mid-run otherwise left its host busy at full CPU and its MariaDB running).
 */
function stopOnSignal(signal, code) {
  process.once(signal, () => {
    killHostsNow();
    const server = currentServer;
    const done = () => process.exit(code);
    if (!server) return done();
    Promise.race([server.stop(), new Promise((r) => setTimeout(r, 10000))]).then(done, done);
  });
}

async function benchDatabase(kind, args, profile, log) {
  let server = null;
  let dbUrl;
  if (kind === 'mariadb') {
    server = currentServer = await startMariaDb({ database: 'apitok_bench', bufferPool: '1G' });
    dbUrl = server.url;
  } else if (kind === 'postgres') {
    server = currentServer = await startPostgres({ database: 'apitok_bench' });
    dbUrl = server.url;
  }
  // The SQLite database (1.2 GB at 1,000,000 tokens) and the host's data and log: removed when the
  // run ends well, kept (and named) when it fails, as its errors point at the log.
  const sqliteDir = kind === 'sqlite' ? fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-bench-db-')) : null;
  if (sqliteDir) dbUrl = `sqlite:${path.join(sqliteDir, 'jira.db')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-bench-'));
  let ended = false;
  let host = null;
  try {
    host = await startHostProcess({ dbUrl, dataDir });
    log(`${kind}: host at ${host.baseUrl}`);
    const tokens = await prepare(host.baseUrl, profile.coldTokens);
    const list = scenarios(host.baseUrl, tokens);
    const result = { database: kind };
    result.cold = await coldPass(host, tokens.cold, profile);
    log(`  ${result.cold.label}: ${result.cold.rps.toFixed(0)} req/s p99 ${result.cold.p99} ms`);
    log(`  fork 1/${profile.forks} (pid ${host.pid}): every scenario`);
    result.scenarios = await measureRounds(host, list, profile, log);
    result.latency = await probeLatency(list.filter((s) => CORE.includes(s.key)), profile.latencySamples);
    for (const [k, v] of Object.entries(result.latency)) log(`  sequential latency ${k}: p50 ${v.p50.toFixed(0)} µs p99 ${v.p99.toFixed(0)} µs`);
    const firstFork = { pid: host.pid, scenarios: result.scenarios, latency: result.latency };
    await host.stop();
    host = null;
    result.forks = await forkRuns(dbUrl, dataDir, tokens, profile, log, firstFork);
    result.compared = combineForks(result.forks, COMPARED);
    logForks('small table', result.compared, log);

    const bulk = args.tokens ?? profile.bulkTokens;
    log(`  seeding ${bulk} tokens for ${Math.min(10000, Math.ceil(bulk / 100))} users …`);
    const t0 = Date.now();
    await seedTokens({ dbUrl, product: 'jira', count: bulk, users: Math.min(10000, Math.ceil(bulk / 100)) });
    result.seed = { tokens: bulk, seconds: (Date.now() - t0) / 1000 };
    log(`  seeded in ${result.seed.seconds.toFixed(1)} s`);
    const atScaleForks = await forkRuns(dbUrl, dataDir, tokens, profile, log, null);
    result.atScale = atScaleForks[0].scenarios;
    result.atScaleForks = atScaleForks;
    result.atScaleCompared = combineForks(atScaleForks, COMPARED);
    logForks(`at ${bulk} tokens`, result.atScaleCompared, log);

    host = await startHostProcess({ dbUrl, dataDir });
    result.tokensByFilter = await filterLatency(host, tokens.admin, profile.filterSamples);
    for (const [q, v] of Object.entries(result.tokensByFilter)) log(`  tokensByFilter ${q}: first ${v.first.toFixed(1)} ms, then p50 ${v.p50.toFixed(1)} ms p95 ${v.p95.toFixed(1)} ms`);
    result.tokensByFilterSort = await sortLatency(host, tokens.admin, profile.filterSamples);
    for (const [q, v] of Object.entries(result.tokensByFilterSort)) log(`  tokensByFilter sorted by ${q}: first ${v.first.toFixed(1)} ms, then p50 ${v.p50.toFixed(1)} ms p95 ${v.p95.toFixed(1)} ms`);
    if (args.soak) result.soak = await soak(host, tokens.rw, log);
    // The bench user's key, which owns the issue 14 scenarios' spread tokens: asked of this host
    // after its measurements (a host started only for it cost a process start).
    const benchUser = args.scale ? await call(host.baseUrl, 'GET', '/rest/api/2/myself', { auth: basic('bench', 'bench-password') }) : null;
    await host.stop();
    host = null;
    // Issue 14: spread, default log level, cold node, negative cache (lib/scale.js).
    if (args.scale) result.scale = await scaleScenarios({ dbUrl, dataDir, rwToken: tokens.rw, userKey: benchUser.key, profile, log });
    ended = true;
    return result;
  } finally {
    if (host) await host.stop();
    if (server) await server.stop();
    currentServer = null;
    const folders = [dataDir, sqliteDir].filter(Boolean);
    if (ended) for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
    else log(`  ${kind}: kept for a look: ${folders.join(', ')} (host.log in ${dataDir})`);
  }
}

/** The command line, or exit: 0 after --help, 2 with one line of error and the usage. */
function commandLine() {
  try {
    const args = parseBenchArgs(process.argv.slice(2));
    if (!args.help) return args;
    process.stdout.write(usage(PROFILES));
    process.exit(0);
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n\n${usage(PROFILES)}`);
    process.exit(2);
  }
}

async function main() {
  const args = commandLine();
  loadMeasuringModules();
  const profile = PROFILES[args.mode];
  const log = (line) => process.stdout.write(`${line}\n`);
  const kinds = DATABASE_SETS[args.db];
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
  const results = { mode: args.mode, startedAt: new Date().toISOString(), machine, profile, databases: [] };
  for (const kind of kinds) results.databases.push(await benchDatabase(kind, args, profile, log));
  results.bars = evaluateBars(results);
  fs.mkdirSync(args.out, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const md = renderMarkdown(results);
  fs.writeFileSync(path.join(args.out, `${stamp}-${args.mode}.json`), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(args.out, `${stamp}-${args.mode}.md`), md);
  fs.writeFileSync(path.join(args.out, `latest-${args.mode}.md`), md);
  log(`\n${md}`);
}

stopOnSignal('SIGINT', 130);
stopOnSignal('SIGTERM', 143);
main().catch((err) => { console.error(err); process.exit(1); });
