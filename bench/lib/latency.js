// Sequential latency probe: one keep-alive connection, one request at a time, timed with
// hrtime, so that sub-millisecond differences (the latency a filter adds) are visible —
// autocannon's histogram counts whole milliseconds and includes queueing under load.
'use strict';
const http = require('node:http');

function once(agent, url, { method = 'GET', headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(url, { agent, method, headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve({ status: res.statusCode, micros: Number(process.hrtime.bigint() - t0) / 1000 }));
    });
    req.on('error', reject);
    if (body) req.end(body); else req.end();
  });
}

/**
 * Alternates the given scenarios request by request (so drift hits all alike) and returns
 * {key: {p50, p99, mean}} in microseconds.
 */
async function probeLatency(scenarios, samples) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times = Object.fromEntries(scenarios.map((s) => [s.key, []]));
  try {
    for (let i = 0; i < samples + 200; i++) {
      for (const s of scenarios) {
        const r = await once(agent, s.url, s);
        if (r.status >= 400) throw new Error(`${s.key}: status ${r.status}`);
        if (i >= 200) times[s.key].push(r.micros);
      }
    }
  } finally {
    agent.destroy();
  }
  const out = {};
  for (const [key, list] of Object.entries(times)) {
    list.sort((a, b) => a - b);
    const at = (p) => list[Math.min(list.length - 1, Math.ceil((p / 100) * list.length) - 1)];
    out[key] = { p50: at(50), p99: at(99), mean: list.reduce((a, b) => a + b, 0) / list.length };
  }
  return out;
}

module.exports = { probeLatency };
