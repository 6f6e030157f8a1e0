// Turns benchmark results into the bench/README.md bar verdicts and a Markdown table.
'use strict';
const { scaleBars, scaleMarkdown } = require('./scale');

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const f4 = (x) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');

/** One verdict per bar and database: {db, bar, value, pass}. */
function evaluateBars(results) {
  const bars = [];
  for (const d of results.databases) {
    const s = d.scenarios;
    const forks = d.forks.length;
    for (const k of ['tokenBasic', 'tokenBearer']) {
      const c = d.compared[k];
      bars.push({ db: d.database, bar: `${s[k].label} ≥ 85% of anonymous req/s (median of ${forks} fork${forks === 1 ? '' : 's'})`, value: `${f0(c.ratio * 100)}% (forks ${pctRange(c)})`, pass: c.ratio >= 0.85 });
      bars.push({ db: d.database, bar: `${s[k].label} p99 latency added < 1 ms (sequential probe, median of ${forks} fork${forks === 1 ? '' : 's'})`, value: `${f2(c.p99AddedMs)} ms`, pass: c.p99AddedMs < 1 });
      bars.push({ db: d.database, bar: `${s[k].label} ≥ 5× password Basic`, value: `${f1(s[k].rps / s.password.rps)}×`, pass: s[k].rps / s.password.rps >= 5 });
      // Steady state: the only writes are the batched last-access flush (once a minute per node,
      // counted when it lands in a measured round), so anything at or above one write per
      // thousand requests means a write per request.
      bars.push({ db: d.database, bar: `${s[k].label}: database writes per request (steady state)`, value: f4(s[k].writesPerRequest), pass: s[k].writesPerRequest < 0.001 });
      bars.push({ db: d.database, bar: `${s[k].label}: database reads per request (cached)`, value: f4(s[k].readsPerRequest), pass: s[k].readsPerRequest < 0.001 });
      if (d.atScaleCompared) {
        const ratio = d.atScaleCompared[k].ratio / c.ratio;
        bars.push({ db: d.database, bar: `${s[k].label} at ${d.seed.tokens} tokens within 10%`, value: `${f0(ratio * 100)}% of the small-table ratio`, pass: ratio >= 0.9 });
      }
    }
    if (d.tokensByFilter) {
      for (const [q, v] of Object.entries(d.tokensByFilter)) {
        bars.push({ db: d.database, bar: `tokensByFilter (${q}) p95 < 50 ms at ${d.seed.tokens} tokens`, value: `${f1(v.p95)} ms`, pass: v.p95 < 50 });
      }
    }
    if (d.tokensByFilterSort) {
      for (const [q, v] of Object.entries(d.tokensByFilterSort)) {
        bars.push({ db: d.database, bar: `tokensByFilter first page sorted by ${q} p95 < 50 ms at ${d.seed.tokens} tokens`, value: `${f1(v.p95)} ms`, pass: v.p95 < 50 });
      }
    }
    if (d.soak) bars.push({ db: d.database, bar: 'RSS flat (±10%) over the 5-minute soak', value: `${f1(d.soak.changePct)}%`, pass: Math.abs(d.soak.changePct) <= 10 });
    bars.push(...scaleBars(d));
  }
  return bars;
}

function pctRange(c) {
  return `${f0(c.minRatio * 100)}–${f0(c.maxRatio * 100)}%`;
}

function forkTable(lines, d, compared, forks) {
  lines.push('| scenario | vs anonymous (median) | per fork | p99 added (median) | per fork |', '| --- | ---: | --- | ---: | --- |');
  for (const [k, c] of Object.entries(compared)) {
    lines.push(`| ${d.scenarios[k].label} | ${f1(c.ratio * 100)}% | ${c.forkRatios.map((r) => f0(r * 100)).join(', ')} `
      + `| ${f2(c.p99AddedMs)} ms | ${(c.forkP99AddedMs ?? []).map(f2).join(', ')} |`);
  }
  lines.push('', `(${forks.length} host process${forks.length === 1 ? '' : 'es'}; in each, the median over rounds of the token req/s over the same round's anonymous req/s.)`);
}

function renderMarkdown(results) {
  const m = results.machine;
  const lines = [
    `# Benchmark (${results.mode}) — ${results.startedAt}`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}. `
      + `Each scenario ${results.profile.duration} s × ${results.profile.rounds} rounds in each of ${results.profile.forks} host processes (forks), `
      + `${results.profile.connections} connections; medians shown; "vs anonymous" is the median over rounds of each run's req/s over the mean of the anonymous runs just before and after it.`,
    '',
  ];
  for (const d of results.databases) {
    const anon = d.scenarios.anonymous.rps;
    lines.push(`## ${d.database}`, '', 'Every scenario (first fork):', '', '| scenario | req/s | p50 ms | p99 ms | vs anonymous | DB reads/req | DB writes/req |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const s of Object.values(d.scenarios)) {
      lines.push(`| ${s.label} | ${f0(s.rps)} | ${f1(s.p50)} | ${f1(s.p99)} | ${f0(s.ratio * 100)}% | ${s.readsPerRequest === undefined ? '' : f4(s.readsPerRequest)} | ${s.writesPerRequest === undefined ? '' : f4(s.writesPerRequest)} |`);
    }
    lines.push(`| ${d.cold.label} | ${f0(d.cold.rps)} | ${f1(d.cold.p50)} | ${f1(d.cold.p99)} | ${f0((d.cold.rps / anon) * 100)}% | | |`);
    lines.push('', 'Sequential latency, first fork (one connection, one request at a time):', '', '| scenario | p50 µs | p99 µs | mean µs |', '| --- | ---: | ---: | ---: |');
    for (const [k, v] of Object.entries(d.latency)) lines.push(`| ${d.scenarios[k].label} | ${f0(v.p50)} | ${f0(v.p99)} | ${f0(v.mean)} |`);
    lines.push('', 'Token against anonymous across forks:', '');
    forkTable(lines, d, d.compared, d.forks);
    if (d.atScaleCompared) {
      lines.push('', `At ${d.seed.tokens} stored tokens (seeded in ${f1(d.seed.seconds)} s):`, '');
      forkTable(lines, d, d.atScaleCompared, d.atScaleForks);
    }
    if (d.tokensByFilter) {
      lines.push('', '| tokensByFilter query | first request ms (counts the total) | p50 ms | p95 ms |', '| --- | ---: | ---: | ---: |');
      for (const [q, v] of Object.entries(d.tokensByFilter)) lines.push(`| ${q} | ${f1(v.first)} | ${f1(v.p50)} | ${f1(v.p95)} |`);
    }
    if (d.tokensByFilterSort) {
      lines.push('', '| tokensByFilter first page (50, no filter) sorted by | first request ms | p50 ms | p95 ms |', '| --- | ---: | ---: | ---: |');
      for (const [q, v] of Object.entries(d.tokensByFilterSort)) lines.push(`| ${q} | ${f1(v.first)} | ${f1(v.p50)} | ${f1(v.p95)} |`);
    }
    if (d.soak) lines.push('', `Soak: ${f0(d.soak.rps)} req/s; RSS ${f1(d.soak.rssFirstMiB)} → ${f1(d.soak.rssLastMiB)} MiB (${f1(d.soak.changePct)}%).`);
    lines.push(...scaleMarkdown(d));
    lines.push('');
  }
  lines.push('## Bars (bench/README.md)', '', '| database | bar | measured | met |', '| --- | --- | --- | --- |');
  for (const b of results.bars) lines.push(`| ${b.db} | ${b.bar} | ${b.value} | ${b.pass ? 'yes' : '**no**'} |`);
  return `${lines.join('\n')}\n`;
}

module.exports = { evaluateBars, renderMarkdown };
