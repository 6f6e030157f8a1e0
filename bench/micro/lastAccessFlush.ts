// How long a last-access flush keeps the event loop, on the embedded SQLite (the one database
// whose driver runs statements synchronously): `pending` tokens drawn at random from a table of
// `rows`, flushed as in a node (the statements and the commit run on SQLite's writer thread), a
// setImmediate probe measuring the wall time between two turns of this thread's event loop.
// Issue 14's bar: no stretch of the flush's own work longer than 5 ms (stretches into which a GC
// pause fell are reported apart: the collector stops every request alike). Wall time, because the
// writer thread's CPU is this process's too; run it on a quiet machine. Median over rounds.
//   node -r ts-node/register/transpile-only bench/micro/lastAccessFlush.ts [pending] [rows] [rounds]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { upgradeTasks } from '../../ao-schema/apitokenauth';
import { aoTableName } from '../../host-sim/impl/ao/aoNaming';
import { loadConfig } from '../../host-sim/config';
import { createHostRuntime } from '../../host-sim/impl/createHostRuntime';
import { AoTokenStore } from '../../plugin/ao/AoTokenStore';
import { TOKEN_ENTITY, TokenColumns as C } from '../../plugin/ao/TokenEntity';
import { LastAccessRecorder } from '../../plugin/service/LastAccessRecorder';
import { generateStringId, generateToken } from '../../plugin/token/TokenFormat';

const PENDING = Number(process.argv[2] ?? 100_000);
const ROWS = Math.max(PENDING, Number(process.argv[3] ?? 200_000));
const ROUNDS = Number(process.argv[4] ?? 5);

interface Stretches {
  /** The longest wall time between two turns of the event loop. */
  readonly longest: number;
  /** The longest of those in which no garbage collection paused the thread: the flush's own work. */
  readonly longestWithoutGc: number;
  readonly gcPauses: number;
}

/** Wall milliseconds between turns of the event loop while `work` runs, told apart by whether a GC pause fell into them. */
async function stretches(work: () => Promise<void>): Promise<Stretches> {
  const gcs: Array<{ start: number; end: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const spans: Array<{ start: number; end: number }> = [];
  let running = true;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    if (now - last > 1) spans.push({ start: last, end: now });
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await work().finally(() => { running = false; });
  spans.push({ start: last, end: performance.now() });
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  let longest = 0;
  let longestWithoutGc = 0;
  for (const s of spans) {
    const ms = s.end - s.start;
    longest = Math.max(longest, ms);
    if (!gcs.some((g) => g.start < s.end && g.end > s.start)) longestWithoutGc = Math.max(longestWithoutGc, ms);
  }
  return { longest, longestWithoutGc, gcPauses: gcs.length };
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const silent = winston.createLogger({ level: 'warn', silent: true });

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flush-'));
  const config = loadConfig({ NODE_ENV: 'test', PRODUCT: 'jira', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, path.resolve(__dirname, '../..'));
  const runtime = await createHostRuntime(config, { extraMigrations: upgradeTasks({ dialect: 'sqlite', tableName: (entity) => aoTableName('AO_5D4005', entity) }) });
  try {
    const ao = runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects;
    for (let done = 0; done < ROWS; done += 10_000) {
      await ao.createMany(TOKEN_ENTITY, Array.from({ length: Math.min(10_000, ROWS - done) }, (_, i) => ({
        [C.PUBLIC_ID]: generateToken().publicId, [C.STRING_ID]: generateStringId(), [C.USER_KEY]: 'bench', [C.DESCRIPTION]: `flush ${done + i}`,
        [C.CREATED]: 1, [C.CREATED_BY]: 'bench', [C.VALID_UNTIL]: 9_000_000_000_000, [C.SCOPE]: 2, [C.SALT]: 'aa', [C.HASH]: 'bb',
        [C.LAST_ACCESSED]: 0, [C.LAST_IP]: null, [C.USE_COUNT]: 0, [C.RESTRICTIONS]: null, [C.NOTIFICATION_STATE]: null,
        [C.KNOWN_IPS]: null, [C.VERSION]: 1,
      })));
    }
    const all = (await ao.find(TOKEN_ENTITY, { columns: [C.ID], where: `${C.USER_KEY} = ?`, params: ['bench'] })).map((r) => Number(r[C.ID]));
    const store = new AoTokenStore(ao);
    const longest: number[] = [];
    const own: number[] = [];
    const flushes: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A spread active set: ids at random over the whole table, recorded in the order of use.
      for (let i = all.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [all[i], all[j]] = [all[j], all[i]];
      }
      const recorder = new LastAccessRecorder(store, silent, { flushAt: PENDING + 1 });
      for (let i = 0; i < PENDING; i++) recorder.record(all[i], 100_000 + round * PENDING + i, '10.2.0.1');
      const t0 = performance.now();
      const seen = await stretches(() => recorder.flush());
      flushes.push(performance.now() - t0);
      longest.push(seen.longest);
      own.push(seen.longestWithoutGc);
      await recorder.close();
    }
    const fmt = (v: number[]) => v.map((x) => x.toFixed(1)).join(' ');
    console.log(`last-access flush of ${PENDING} tokens at random of ${ROWS} on SQLite, ${ROUNDS} rounds`);
    console.log(`  longest stretch without an event-loop turn per round (wall ms): ${fmt(longest)}  median ${median(longest).toFixed(1)}`);
    console.log(`  longest such stretch without a GC pause in it (the flush's own work): ${fmt(own)}  median ${median(own).toFixed(1)} (bar ≤ 5)`);
    console.log(`  whole flush per round (wall ms): ${fmt(flushes)}  median ${median(flushes).toFixed(0)}`);
  } finally {
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
