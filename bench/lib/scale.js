// Issue 14's scenarios: requests spread uniformly over many distinct tokens (20,000 / 200,000 /
// 1,000,000), one hot token at the default LOG_LEVEL=info, a cold node serving 10,000 distinct
// tokens once each, and a flood of one unknown but well-formed token (negative cache). Each runs
// against anonymous in the same host process (paired rounds, lib/measure.js). The spread tokens
// are stored by a bulk seeder like lib/seed.js, but for the bench user (so they authenticate) and
// with 127.0.0.1 already known (no new-IP alert per token, as for a client seen before); their
// plain texts are kept in this process.
'use strict';
require('ts-node').register({ transpileOnly: true });
const { generateToken, generateStringId } = require('../../plugin/token/TokenFormat');
const { newSalt, hashSecret } = require('../../plugin/token/SecretHasher');
const { TokenCredential } = require('../../plugin/ao/Token');
const { credentialBytes } = require('../../plugin/service/TokenCache');
const { startHostProcess, rssOf } = require('./host-process');
const { statementCounts } = require('./api');
const { runLoad, median } = require('./load');
const { measureRounds } = require('./measure');
const { TABLES, insertPostgres } = require('./seed');

const COLUMNS = ['PUBLIC_ID', 'STRING_ID', 'USER_KEY', 'DESCRIPTION', 'CREATED', 'CREATED_BY', 'VALID_UNTIL',
  'SCOPE', 'SALT', 'HASH', 'LAST_ACCESSED', 'LAST_IP', 'USE_COUNT', 'VERSION', 'KNOWN_IPS'];
const DAY = 86400000;

function* spreadRows(count, userKey, now, plain) {
  for (let i = 0; i < count; i++) {
    const t = generateToken();
    const salt = newSalt();
    plain.push(t.plainText);
    yield [t.publicId, generateStringId(), userKey, `spread ${i}`, now, userKey, now + 300 * DAY, 2,
      salt.toString('hex'), hashSecret(salt, t.publicId, t.secret).toString('hex'), 0, null, 0, 1, '["127.0.0.1"]'];
  }
}

/**
 * The token cache's own estimate (`credentialBytes`, calibrated by bench/micro/tokenCacheMemory.ts)
 * for a credential of a spread token, built as the store builds it from such a row.
 */
function spreadCredentialBytes(userKey, count) {
  const t = generateToken();
  const salt = newSalt();
  return credentialBytes(new TokenCredential(count, t.publicId, userKey, `spread ${count - 1}`, Date.now() + 300 * DAY, 2, null, 1,
    salt.toString('hex'), hashSecret(salt, t.publicId, t.secret).toString('hex'), false, generateStringId(), '["127.0.0.1"]'));
}

/** Stores `count` read/write tokens of `userKey`; returns their plain texts. */
async function seedSpreadTokens({ dbUrl, product = 'jira', count, userKey, now = Date.now() }) {
  const table = TABLES[product];
  const plain = [];
  if (/^postgres(ql)?:\/\//.test(dbUrl)) {
    await insertPostgres(dbUrl, table, COLUMNS, spreadRows(count, userKey, now, plain));
    return plain;
  }
  if (dbUrl.startsWith('mysql://')) {
    const mysql = require('mysql2/promise');
    const conn = await mysql.createConnection({ uri: dbUrl, supportBigNumbers: true });
    try {
      let batch = [];
      const flush = async () => {
        if (batch.length) await conn.query(`INSERT INTO \`${table}\` (${COLUMNS.join(', ')}) VALUES ?`, [batch]);
        batch = [];
      };
      for (const r of spreadRows(count, userKey, now, plain)) {
        batch.push(r);
        if (batch.length === 1000) await flush();
      }
      await flush();
    } finally {
      await conn.end();
    }
    return plain;
  }
  const Database = require('better-sqlite3');
  const db = new Database(dbUrl.slice('sqlite:'.length));
  try {
    db.pragma('busy_timeout = 30000');
    const one = db.prepare(`INSERT INTO "${table}" (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
    const insertAll = db.transaction((list) => { for (const r of list) one.run(r); });
    let batch = [];
    for (const r of spreadRows(count, userKey, now, plain)) {
      batch.push(r);
      if (batch.length === 50000) { insertAll(batch); batch = []; }
    }
    insertAll(batch);
  } finally {
    db.close();
  }
  return plain;
}

/** A scenario whose every request carries a token drawn uniformly from `tokens`. */
function spreadScenario(baseUrl, key, label, tokens) {
  return {
    key, label, url: `${baseUrl}/rest/api/2/myself`, countStatements: true,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}` } }) }],
  };
}

/** autocannon requests carrying `tokens[0]`, `tokens[1]`, … in turn (each once per `tokens.length` requests). */
function bearerInTurn(tokens) {
  let next = 0;
  return [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }) }];
}

function anonymous(baseUrl) {
  return { key: 'anonymous', label: 'anonymous GET serverInfo', url: `${baseUrl}/rest/api/2/serverInfo` };
}

/**
 * Runs the issue 14 scenarios on one database. `ctx`: {dbUrl, dataDir, rwToken, userKey, profile, log}
 * (`userKey`: the bench user's key, who owns the spread tokens); `profile.scale`: {spread: [sizes],
 * cold, flood}. Returns the results for the report.
 */
async function scaleScenarios(ctx) {
  const { dbUrl, dataDir, rwToken, userKey, profile, log } = ctx;
  if (!userKey) throw new Error('scaleScenarios needs the bench user\'s key');
  const scale = profile.scale;
  const out = { spread: [], infoLevel: null, cold: null, flood: null };
  let host = null;
  try {
    const me = { key: userKey };
    const tokens = [];
    for (const size of scale.spread) {
      log(`  spread: storing ${size - tokens.length} more tokens for ${me.key} …`);
      // One by one: a spread of 180,000 arguments overflows the call stack.
      for (const t of await seedSpreadTokens({ dbUrl, count: size - tokens.length, userKey: me.key })) tokens.push(t);
      // The default cache (256 MiB, ~550,000 credentials of these) is sized up as an operator would
      // for a larger active set: the cache's own estimate per credential, plus a tenth.
      const cacheMiB = Math.max(256, Math.ceil((size * spreadCredentialBytes(me.key, size) * 1.1) / 1048576));
      const key = `spread${size}`;
      const label = `token Bearer GET myself, spread over ${size} tokens`;
      // Fresh host processes, like the compared scenarios (one process's ratio moved from 79% to
      // 102% between two runs at 200,000); a single one for the largest set, whose warm pass
      // alone takes minutes.
      const forks = size >= 1_000_000 ? 1 : (scale.spreadForks ?? 1);
      const runs = [];
      for (let fork = 0; fork < forks; fork++) {
        host = await startHostProcess({ dbUrl, dataDir, env: cacheMiB > 256 ? { HOSTSIM_SYSPROPS: `apitokenauth.tokenCache.maxMiB=${cacheMiB}` } : {} });
        const list = [anonymous(host.baseUrl), spreadScenario(host.baseUrl, key, label, tokens.slice(0, size))];
        // First pass unmeasured, every token once in turn (the credentials cached, as in a running
        // node; a random draw of `size` would leave a third of them for the measured rounds), then rounds.
        const warm = Math.min(size, scale.warmRequests ?? size);
        // In two halves: what each active token holds in the node is measured over the second, the
        // process grew by this much while it cached those credentials (with their last-access and
        // audit-sampler entries); the first half carries the fresh process's own growth (compiled code).
        const half = Math.floor(warm / 2);
        await runLoad({ url: list[1].url, amount: half, connections: profile.connections, requests: bearerInTurn(tokens.slice(0, half)) });
        const rssAtHalf = rssOf(host.pid);
        await runLoad({ url: list[1].url, amount: warm - half, connections: profile.connections, requests: bearerInTurn(tokens.slice(half, warm)) });
        const rssPerWarmToken = (rssOf(host.pid) - rssAtHalf) / (warm - half);
        // More rounds than the compared scenarios: a node holding this many credentials collects its
        // old generation every several seconds, longer than a round, and whichever side a collection
        // lands on loses that round (single rounds went from 60% to 160%); the median needs more of them.
        const measured = await measureRounds(host, list, { ...profile, rounds: scale.spreadRounds ?? profile.rounds }, log);
        runs.push({ ...measured[key], rssMiB: rssOf(host.pid) / 1048576, rssPerWarmToken });
        await host.stop();
        host = null;
      }
      const sum = (f) => runs.reduce((a, r) => a + r[f], 0);
      const r = {
        ratio: median(runs.map((x) => x.ratio)), forkRatios: runs.map((x) => x.ratio), rps: median(runs.map((x) => x.rps)),
        p99: median(runs.map((x) => x.p99)), readsPerRequest: sum('readsPerRequest') / runs.length,
        writesPerRequest: sum('writesPerRequest') / runs.length, rssMiB: Math.max(...runs.map((x) => x.rssMiB)), non2xx: sum('non2xx'),
        rssPerWarmToken: median(runs.map((x) => x.rssPerWarmToken)), credentialBytes: spreadCredentialBytes(me.key, size),
      };
      out.spread.push({ tokens: size, cacheMiB, label: cacheMiB > 256 ? `${label} (token cache ${cacheMiB} MiB)` : label, ...r });
      log(`  spread over ${size}: ${(r.ratio * 100).toFixed(1)}% of anonymous${forks > 1 ? ` (forks ${r.forkRatios.map((x) => (x * 100).toFixed(0)).join(', ')})` : ''}, `
        + `${(r.readsPerRequest + r.writesPerRequest).toFixed(4)} statements/request (reads ${r.readsPerRequest.toFixed(4)}, writes ${r.writesPerRequest.toFixed(4)}), RSS ${r.rssMiB.toFixed(0)} MiB`
        + ` (${r.rssPerWarmToken.toFixed(0)} B per token over the warm pass's second half; cache estimate ${r.credentialBytes} B per credential)`);
    }

    // One hot token at npm start's default level, in as many fresh host processes as the
    // compared scenarios (one process's ratio varies by ±10% on this VM): the median of forks.
    const infoForks = [];
    const label = 'token Bearer GET myself at LOG_LEVEL=info';
    for (let fork = 0; fork < profile.forks; fork++) {
      host = await startHostProcess({ dbUrl, dataDir, env: { LOG_LEVEL: 'info' } });
      const hot = { key: 'tokenBearer', label, url: `${host.baseUrl}/rest/api/2/myself`, headers: { authorization: `Bearer ${rwToken}` }, countStatements: true };
      const info = await measureRounds(host, [anonymous(host.baseUrl), hot], profile, log);
      infoForks.push({ ratio: info.tokenBearer.ratio, rps: info.tokenBearer.rps });
      await host.stop();
      host = null;
    }
    out.infoLevel = { label, ratio: median(infoForks.map((f) => f.ratio)), rps: median(infoForks.map((f) => f.rps)), forks: infoForks.map((f) => f.ratio) };
    log(`  ${label}: ${(out.infoLevel.ratio * 100).toFixed(1)}% of anonymous (forks ${out.infoLevel.forks.map((r) => (r * 100).toFixed(0)).join(', ')})`);

    // A fresh node: each of `scale.cold` distinct tokens once, then anonymous for the same count
    // (the bar). Beside it, anonymous as the first load of another fresh node: what a fresh
    // process costs by itself (V8 compiling the request path), without any token. Like every
    // other bar, a median over forks (`scale.coldForks`): a single cold pass cannot be bracketed
    // by anonymous runs and carries the VM's speed of its few seconds. Each fork serves its own
    // slice of the tokens, none of which an earlier fork's node has read.
    const coldForks = [];
    const coldForkCount = scale.coldForks ?? 1;
    for (let fork = 0; fork < coldForkCount; fork++) {
      const start = (fork * scale.cold) % Math.max(1, tokens.length - scale.cold + 1);
      const coldTokens = tokens.slice(start, start + scale.cold);
      host = await startHostProcess({ dbUrl, dataDir });
      const anonFresh = await runLoad({ ...anonymous(host.baseUrl), amount: coldTokens.length, connections: profile.connections });
      await host.stop();
      host = await startHostProcess({ dbUrl, dataDir });
      const cold = await runLoad({ url: `${host.baseUrl}/rest/api/2/myself`, amount: coldTokens.length, connections: profile.connections,
        requests: bearerInTurn(coldTokens) });
      const anon = await runLoad({ ...anonymous(host.baseUrl), amount: coldTokens.length, connections: profile.connections });
      coldForks.push({ tokens: coldTokens.length, rps: cold.rps, p99: cold.p99, ratio: cold.rps / anon.rps, non2xx: cold.non2xx,
        anonymousRps: anon.rps, freshAnonymousRps: anonFresh.rps, freshAnonymousP99: anonFresh.p99 });
      log(`  cold node, ${coldTokens.length} tokens once each: ${cold.rps.toFixed(0)} req/s (${((cold.rps / anon.rps) * 100).toFixed(0)}% of anonymous on the same node afterwards), p99 ${cold.p99} ms;`
        + ` anonymous as a fresh node's first load: ${anonFresh.rps.toFixed(0)} req/s, p99 ${anonFresh.p99} ms`);
      // The last fork's node stays up for the flood below.
      if (fork < coldForkCount - 1) {
        await host.stop();
        host = null;
      }
    }
    const ofCold = (f) => median(coldForks.map((c) => c[f]));
    out.cold = { tokens: coldForks[0].tokens, rps: ofCold('rps'), p99: ofCold('p99'), ratio: ofCold('ratio'), non2xx: coldForks.reduce((a, c) => a + c.non2xx, 0),
      anonymousRps: ofCold('anonymousRps'), freshAnonymousRps: ofCold('freshAnonymousRps'), freshAnonymousP99: ofCold('freshAnonymousP99'),
      forkRatios: coldForks.map((c) => c.ratio), forkP99s: coldForks.map((c) => c.p99) };

    // Negative cache: one client repeating a well-formed token that has no row. The node's own
    // periodic statements (jobs, locks) are counted over an anonymous run of the same number of
    // requests just before, scaled to the flood's duration, and reported beside the flood's.
    const unknown = generateToken().plainText;
    const idle0 = await statementCounts(host.baseUrl);
    const t0 = Date.now();
    await runLoad({ ...anonymous(host.baseUrl), amount: scale.flood, connections: profile.connections });
    const idleMs = Date.now() - t0;
    const before = await statementCounts(host.baseUrl);
    const t1 = Date.now();
    const flood = await runLoad({ url: `${host.baseUrl}/rest/api/2/myself`, headers: { authorization: `Bearer ${unknown}` }, amount: scale.flood, connections: profile.connections });
    const floodMs = Date.now() - t1;
    const after = await statementCounts(host.baseUrl);
    const backgroundReads = Math.round(((before.reads - idle0.reads) * floodMs) / Math.max(1, idleMs));
    out.flood = { requests: flood.requests, reads: after.reads - before.reads, backgroundReads, writes: after.writes - before.writes, non2xx: flood.non2xx, rps: flood.rps };
    log(`  negative-cache flood: ${flood.requests} requests, ${out.flood.reads} database reads (an anonymous run as long: ~${backgroundReads})`);
    return out;
  } finally {
    if (host) await host.stop();
  }
}

const pct = (x) => (Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : 'n/a');

/** The issue 14 bars of one database's results. */
function scaleBars(d) {
  const s = d.scale;
  if (!s) return [];
  const bars = [];
  for (const r of s.spread) {
    const bar = r.tokens >= 1_000_000 ? 0.85 : r.tokens >= 200_000 ? 0.9 : null;
    if (bar !== null) bars.push({ db: d.database, bar: `${r.label} ≥ ${bar * 100}% of anonymous`, value: pct(r.ratio), pass: r.ratio >= bar });
    if (r.tokens >= 200_000) {
      const perRequest = r.readsPerRequest + r.writesPerRequest;
      bars.push({ db: d.database, bar: `${r.label}: database statements per request ≤ 0.002`, value: perRequest.toFixed(4), pass: perRequest <= 0.002 });
    }
  }
  if (s.infoLevel) bars.push({ db: d.database, bar: `${s.infoLevel.label} ≥ 90% of anonymous`, value: pct(s.infoLevel.ratio), pass: s.infoLevel.ratio >= 0.9 });
  if (s.cold) {
    bars.push({ db: d.database, bar: `cold node, ${s.cold.tokens} distinct tokens once each ≥ 50% of anonymous`, value: pct(s.cold.ratio), pass: s.cold.ratio >= 0.5 });
    bars.push({ db: d.database, bar: 'cold node p99 < 20 ms', value: `${s.cold.p99} ms`, pass: s.cold.p99 < 20 });
  }
  // The host counts every statement of the process (also the refusals' batched audit writes and
  // their reads): one read per request would be ~1.0; the negative cache leaves the first lookup.
  if (s.flood) {
    const own = Math.max(0, s.flood.reads - (s.flood.backgroundReads ?? 0));
    bars.push({ db: d.database, bar: `negative cache: ${s.flood.requests} requests with one unknown token, database reads per request < 0.001 (beyond the node's periodic reads)`,
      value: `${s.flood.reads} reads, ~${s.flood.backgroundReads ?? 0} periodic`, pass: own / Math.max(1, s.flood.requests) < 0.001 });
  }
  return bars;
}

/** Markdown lines for one database's issue 14 results. */
function scaleMarkdown(d) {
  const s = d.scale;
  if (!s) return [];
  const lines = ['', 'Issue 14 scenarios (each against anonymous in the same host process):', '',
    '| scenario | vs anonymous | req/s | p99 ms | DB statements/req | host RSS MiB |', '| --- | ---: | ---: | ---: | ---: | ---: |'];
  for (const r of s.spread) {
    const forks = r.forkRatios && r.forkRatios.length > 1 ? ` (forks ${r.forkRatios.map(pct).join(', ')})` : '';
    lines.push(`| ${r.label} | ${pct(r.ratio)}${forks} | ${r.rps.toFixed(0)} | ${r.p99} | ${(r.readsPerRequest + r.writesPerRequest).toFixed(4)} | ${r.rssMiB.toFixed(0)} |`);
  }
  if (s.infoLevel) lines.push(`| ${s.infoLevel.label} | ${pct(s.infoLevel.ratio)} | ${s.infoLevel.rps.toFixed(0)} | | | |`);
  if (s.cold) {
    const forks = s.cold.forkRatios && s.cold.forkRatios.length > 1
      ? ` (forks ${s.cold.forkRatios.map(pct).join(', ')}; p99 ${s.cold.forkP99s.join(', ')} ms)` : '';
    lines.push(`| cold node: ${s.cold.tokens} distinct tokens once each | ${pct(s.cold.ratio)}${forks} | ${s.cold.rps.toFixed(0)} | ${s.cold.p99} | | |`);
    if (s.cold.freshAnonymousRps !== undefined) {
      lines.push(`| (for comparison) anonymous as a fresh node's first ${s.cold.tokens} requests | ${pct(s.cold.freshAnonymousRps / s.cold.anonymousRps)} | ${s.cold.freshAnonymousRps.toFixed(0)} | ${s.cold.freshAnonymousP99} | | |`);
    }
  }
  if (s.flood) lines.push(`| negative-cache flood: ${s.flood.requests} requests, one unknown token | | ${s.flood.rps.toFixed(0)} | | ${s.flood.reads} reads (~${s.flood.backgroundReads ?? 0} periodic), ${s.flood.writes} writes in all | |`);
  const memory = s.spread.filter((r) => Number.isFinite(r.rssPerWarmToken));
  if (memory.length > 0) {
    lines.push('', 'Memory per active token: the token cache\'s own estimate per cached credential (what its memory bound counts), and the host '
      + 'process\'s RSS growth during the second half of the warm pass (each token once) divided by that half\'s tokens — the credential with the '
      + 'node\'s other per-token state (last-access entry, audit-sampler entry) and the heap\'s slack; small sets show mostly the heap\'s own steps:', '',
    '| spread over | cache estimate per credential | RSS growth per token (warm pass) | host RSS after the rounds |', '| ---: | ---: | ---: | ---: |');
    for (const r of memory) lines.push(`| ${r.tokens} | ${r.credentialBytes} B | ${r.rssPerWarmToken.toFixed(0)} B | ${r.rssMiB.toFixed(0)} MiB |`);
  }
  return lines;
}

module.exports = { scaleScenarios, scaleBars, scaleMarkdown, seedSpreadTokens };
