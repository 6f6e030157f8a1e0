// µs per success log line at LOG_LEVEL=info, before and after the host logger's fast path, in
// alternating rounds in one process (the machine's drift hits both alike): the host's root logger
// with its default transport and format writing to stderr, a child logger per module as the
// plugin has (the plugin's, then the module's), and the line the token filter writes per authentication (`isInfoEnabled()` first,
// as the filter does). "before" is the previous configuration: logform's timestamp, errors and
// json/printf formats and winston's Console transport, through winston's object streams.
//   node -r ts-node/register/transpile-only bench/micro/logLine.ts [json|text] 2>/dev/null
import winston from 'winston';
import { createRootLogger } from '../../host-sim/impl/createHostLogger';
import type { Logger } from '../../host-sim/spi';

const format = (process.argv[2] ?? 'json') as 'json' | 'text';
const N = 100_000;
const ROUNDS = 7;

function before(): Logger {
  return winston.createLogger({
    level: 'info',
    defaultMeta: { node: 'node1' },
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }),
      format === 'json' ? winston.format.json() : winston.format.printf((i) => `${String(i.timestamp)} ${i.level.toUpperCase()} [${String(i.module)}] ${String(i.message)}`)),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
}

async function round(log: Logger): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    if (log.isInfoEnabled()) log.info(`alice has been authenticated via API Token (${i % 1000}) (a1b2c3d4e5f6)`);
  }
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / N;
  // Let buffered lines go out between rounds, as between requests (not counted: both write
  // synchronously to stderr, the fast path once per turn instead of once per line).
  await new Promise((resolve) => setTimeout(resolve, 50));
  return us;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  // Two levels of children, as the plugin's loggers are made (PluginLoader, then the plugin's module).
  const old = before().child({ plugin: 'de.resolution.apitokenauth' }).child({ module: 'TokenRequestAuthentication' });
  const now = createRootLogger({ level: 'info', nodeId: 'node1', format }).child({ plugin: 'de.resolution.apitokenauth' }).child({ module: 'TokenRequestAuthentication' });
  const results = { before: [] as number[], after: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    results.before.push(await round(old));
    results.after.push(await round(now));
  }
  const line = (k: 'before' | 'after') => `${k}: median ${median(results[k]).toFixed(2)} µs/line (rounds ${results[k].map((x) => x.toFixed(2)).join(' ')})`;
  process.stdout.write(`${format}, ${N.toLocaleString('en-US')} lines per round, stderr ${process.stderr.isTTY ? 'a terminal' : 'redirected'}\n${line('before')}\n${line('after')}\n`);
}

main().catch((err) => { console.error(err); process.exit(1); });
