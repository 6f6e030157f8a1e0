// Throughput rounds and their statistics. Two layers cancel two kinds of noise:
// - within one host process, every compared scenario runs between two anonymous runs and is
//   compared with their mean (a bracketed ratio), so machine drift over seconds hits both sides
//   of a ratio alike. The 2-vCPU reference VM changes speed by 10–40% within seconds (a host's
//   CPU per anonymous request went 115, 99, 86, 85, 75 µs in five consecutive seconds); when a
//   round ran every scenario once and paired each with that round's single anonymous run, the
//   two were up to 14 s apart and token Bearer's per-fork ratios spread from 71% to 92%;
// - across host processes ("forks", as JMH forks JVMs), because one process's JIT and heap
//   layout can favour one path over another for its whole life: on the 2-vCPU reference VM the
//   same code measured 85%, 91% and 97% (token Bearer vs anonymous) in three processes.
// The verdict is the median over forks of each fork's median bracketed ratio.
'use strict';
const { statementCounts } = require('./api');
const { runLoad, median, mergeStatusCodes } = require('./load');

const sum = (runs, field) => runs.reduce((a, r) => a + r[field], 0);

/**
 * Runs an unmeasured warm-up, then `rounds` rounds. A round runs anonymous, then each other
 * scenario followed by anonymous again (order reversed on odd rounds), so every compared run
 * has an anonymous run just before and just after it. `list` must contain the `anonymous`
 * scenario. Returns per scenario the medians and `ratios`: per round, its req/s over the mean
 * req/s of the two anonymous runs around it.
 */
async function measureRounds(host, list, profile, log) {
  const runs = Object.fromEntries(list.map((s) => [s.key, []]));
  const anonymous = list.find((s) => s.key === 'anonymous');
  if (!anonymous) throw new Error('measureRounds needs the anonymous scenario');
  const compared = list.filter((s) => s !== anonymous);
  /** Per compared scenario, per round: its req/s over the mean req/s of the anonymous runs around it. */
  const bracketed = Object.fromEntries(compared.map((s) => [s.key, []]));
  const run = async (s, round) => {
    const before = s.countStatements ? await statementCounts(host.baseUrl) : null;
    const r = await runLoad({ ...s, duration: profile.duration, connections: profile.connections });
    if (before) {
      const after = await statementCounts(host.baseUrl);
      r.reads = after.reads - before.reads;
      r.writes = after.writes - before.writes;
    }
    runs[s.key].push(r);
    log(`    round ${round + 1} ${s.label}: ${r.rps.toFixed(0)} req/s p50 ${r.p50} ms p99 ${r.p99} ms${r.non2xx ? ` non2xx=${r.non2xx} ${JSON.stringify(r.statusCodes)}` : ''}${r.errors ? ` errors=${r.errors}` : ''}`);
    return r;
  };
  // Unmeasured warm-up: JIT, caches, the young generation's size, and first-use effects (the
  // sampled `token used` audit event, the new-IP bookkeeping) are not steady state. Two passes of
  // a round's length each: after one pass of 1 s, the first measured token Basic run was 1–15%
  // slower than its second in four fresh processes of five (SQLite). The smoke run, which checks
  // that every part produces figures and sets no bar, skips it (`warmPasses: 0`).
  for (let pass = 0; pass < (profile.warmPasses ?? 2); pass++) {
    for (const s of list) await runLoad({ ...s, duration: profile.duration, connections: profile.connections });
  }
  for (let round = 0; round < profile.rounds; round++) {
    let previous = await run(anonymous, round);
    for (const s of round % 2 ? [...compared].reverse() : compared) {
      const r = await run(s, round);
      const next = await run(anonymous, round);
      bracketed[s.key].push(r.rps / ((previous.rps + next.rps) / 2));
      previous = next;
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
      ratios: s === anonymous ? rs.map(() => 1) : bracketed[s.key],
      non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
      statusCodes: mergeStatusCodes(rs),
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
