// One load pass with autocannon (programmatic API, in the driver process — never in the host's).
'use strict';
const autocannon = require('autocannon');

/**
 * Runs one scenario for `duration` seconds (or `amount` requests) and returns
 * {rps, p50, p99, requests, non2xx, statusCodes, errors}. Latencies in milliseconds; `statusCodes`
 * counts the answers that were not 2xx by status (a run that should see none says which it saw).
 */
function runLoad({ url, method = 'GET', headers = {}, body, duration, amount, connections, requests }) {
  return new Promise((resolve, reject) => {
    const opts = { url, method, headers, body, connections, pipelining: 1, timeout: 10 };
    if (amount) opts.amount = amount; else opts.duration = duration;
    // autocannon ends a run at its first sample tick after `duration` and counts requests per
    // sample, once a second by default: a run of less than a second (the smoke profile's) took a
    // whole second. Such a run is sampled every `duration` instead, its count scaled to a second.
    const sampleMs = !amount && duration < 1 ? duration * 1000 : 1000;
    if (sampleMs !== 1000) opts.sampleInt = sampleMs;
    if (requests) opts.requests = requests;
    let startedAt = null;
    let lastResponseAt = null;
    const instance = autocannon(opts, (err, result) => {
      if (err) return reject(err);
      // autocannon ends an `amount` run at its next whole-second tick and averages per-second
      // counts (the last one partial): a 10,000-request run read as 1,429 req/s whether it took
      // 5.1 s or 6.9 s. Such a run's rate is its requests over the time to the last response.
      const seconds = amount && startedAt !== null && lastResponseAt !== null ? Number(lastResponseAt - startedAt) / 1e9 : 0;
      resolve({
        rps: seconds > 0 ? result.requests.total / seconds : (result.requests.average * 1000) / sampleMs,
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: result.requests.total,
        non2xx: result.non2xx,
        statusCodes: otherStatusCodes(result.statusCodeStats),
        errors: result.errors + result.timeouts,
      });
    });
    if (amount) {
      startedAt = process.hrtime.bigint();
      instance.on('response', () => { lastResponseAt = process.hrtime.bigint(); });
    }
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false, outputStream: { write() {} } });
  });
}

/** {status: count} of the answers outside 2xx, from autocannon's `statusCodeStats`. */
function otherStatusCodes(stats = {}) {
  const out = {};
  for (const [code, { count }] of Object.entries(stats)) if (!/^2/.test(code) && count > 0) out[code] = count;
  return out;
}

function mergeStatusCodes(results) {
  const out = {};
  for (const r of results) for (const [code, count] of Object.entries(r.statusCodes ?? {})) out[code] = (out[code] ?? 0) + count;
  return out;
}

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

function percentile(values, p) {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
}

module.exports = { runLoad, median, percentile, mergeStatusCodes };
