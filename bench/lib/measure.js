// Throughput rounds and their statistics. Two layers cancel two kinds of noise:
// - within one host process, scenarios alternate round by round and each token scenario is
//   compared with the anonymous run of the same round (a paired ratio), so machine drift over
//   seconds hits both sides of a ratio alike;
// - across host processes ("forks", as JMH forks JVMs), because one process's JIT and heap
//   layout can favour one path over another for its whole life: on the 2-vCPU reference VM the
//   same code measured 85%, 91% and 97% (token Bearer vs anonymous) in three processes.
// The verdict is the median over forks of each fork's median paired ratio.
'use strict';
const { statementCounts } = require('./api');
const { runLoad, median } = require('./load');

const sum = (runs, field) => runs.reduce((a, r) => a + r[field], 0);

/**
 * Runs an unmeasured warm-up, then `rounds` rounds of every scenario (order reversed on odd
 * rounds). `list` must contain the `anonymous` scenario. Returns per scenario the medians and
 * `ratios`: per round, its req/s over the same round's anonymous req/s.
 */
async function measureRounds(host, list, profile, log) {
  const runs = Object.fromEntries(list.map((s) => [s.key, []]));
  // Unmeasured warm-up: JIT, caches, and first-use effects (the sampled `token used` audit
  // event, the new-IP bookkeeping) are not steady state.
  for (const s of list) await runLoad({ ...s, duration: 1, connections: profile.connections });
  for (let round = 0; round < profile.rounds; round++) {
    for (const s of round % 2 ? [...list].reverse() : list) {
      const before = s.countStatements ? await statementCounts(host.baseUrl) : null;
      const r = await runLoad({ ...s, duration: profile.duration, connections: profile.connections });
      if (before) {
        const after = await statementCounts(host.baseUrl);
        r.reads = after.reads - before.reads;
        r.writes = after.writes - before.writes;
      }
      runs[s.key].push(r);
      log(`    round ${round + 1} ${s.label}: ${r.rps.toFixed(0)} req/s p50 ${r.p50} ms p99 ${r.p99} ms${r.non2xx ? ` non2xx=${r.non2xx}` : ''}`);
    }
  }
  const out = {};
  for (const s of list) {
    const rs = runs[s.key];
    out[s.key] = {
      label: s.label,
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      ratios: rs.map((r, i) => r.rps / runs.anonymous[i].rps),
      non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      // Statements over all rounds together: a last-access flush lands in one round of several,
      // and a median over rounds would leave it out.
      ...(s.countStatements ? {
        readsPerRequest: sum(rs, 'reads') / Math.max(1, sum(rs, 'requests')),
        writesPerRequest: sum(rs, 'writes') / Math.max(1, sum(rs, 'requests')),
      } : {}),
    };
    out[s.key].ratio = median(out[s.key].ratios);
  }
  return out;
}

/**
 * Combines forks: `forks` is a list of {scenarios, latency?} (one per host process). Returns,
 * per compared scenario, the median over forks of the fork ratios (with their range), and of
 * the p99 latency each fork's probe added over anonymous.
 */
function combineForks(forks, keys) {
  const out = {};
  for (const k of keys) {
    const ratios = forks.map((f) => f.scenarios[k].ratio);
    const added = forks.filter((f) => f.latency).map((f) => (f.latency[k].p99 - f.latency.anonymous.p99) / 1000);
    out[k] = {
      ratio: median(ratios), minRatio: Math.min(...ratios), maxRatio: Math.max(...ratios), forkRatios: ratios,
      ...(added.length ? { p99AddedMs: median(added), forkP99AddedMs: added } : {}),
    };
  }
  return out;
}

module.exports = { measureRounds, combineForks };
