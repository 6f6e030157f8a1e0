// How long a last-access flush keeps the event loop, on the embedded SQLite (the one database
// whose statements run on the event loop): 10,000 pending tokens flushed in chunks, a
// setImmediate probe measuring the CPU time of this process between two turns. Issue 14's bar:
// no chunk longer than 5 ms. CPU time rather than wall time, so that waiting for a core on a
// shared machine does not count; the median over rounds of each round's longest chunk.
//   node -r ts-node/register/transpile-only bench/micro/lastAccessFlush.ts [tokens] [rounds]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { upgradeTasks } from '../../ao-schema/apitokenauth';
import { loadConfig } from '../../host-sim/config';
import { createHostRuntime } from '../../host-sim/impl/createHostRuntime';
import { AoTokenStore } from '../../plugin/ao/AoTokenStore';
import { TOKEN_ENTITY, TokenColumns as C } from '../../plugin/ao/TokenEntity';
import { LastAccessRecorder } from '../../plugin/service/LastAccessRecorder';
import { generateStringId, generateToken } from '../../plugin/token/TokenFormat';

const TOKENS = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 7);

/** CPU milliseconds between turns of the event loop while `work` runs; the last one ends with it. */
async function stretches(work: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  let running = true;
  let last = process.cpuUsage();
  const tick = () => {
    const cpu = process.cpuUsage(last);
    out.push((cpu.user + cpu.system) / 1000);
    last = process.cpuUsage();
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await work().finally(() => { running = false; });
  const cpu = process.cpuUsage(last);
  out.push((cpu.user + cpu.system) / 1000);
  return out;
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const silent = winston.createLogger({ level: 'warn', silent: true });

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flush-'));
  const config = loadConfig({ NODE_ENV: 'test', PRODUCT: 'jira', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, path.resolve(__dirname, '../..'));
  const runtime = await createHostRuntime(config, { extraMigrations: upgradeTasks({ dialect: 'sqlite', tableName: (e) => `AO_5D4005_${e.toUpperCase()}` }) });
  try {
    const ao = runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects;
    await ao.createMany(TOKEN_ENTITY, Array.from({ length: TOKENS }, (_, i) => ({
      [C.PUBLIC_ID]: generateToken().publicId, [C.STRING_ID]: generateStringId(), [C.USER_KEY]: 'bench', [C.DESCRIPTION]: `flush ${i}`,
      [C.CREATED]: 1, [C.CREATED_BY]: 'bench', [C.VALID_UNTIL]: 9_000_000_000_000, [C.SCOPE]: 2, [C.SALT]: 'aa', [C.HASH]: 'bb',
      [C.LAST_ACCESSED]: 0, [C.LAST_IP]: null, [C.USE_COUNT]: 0, [C.RESTRICTIONS]: null, [C.NOTIFICATION_STATE]: null,
      [C.KNOWN_IPS]: null, [C.VERSION]: 1,
    })));
    const ids = (await ao.find(TOKEN_ENTITY, { columns: [C.ID], where: `${C.USER_KEY} = ?`, params: ['bench'] })).map((r) => Number(r[C.ID]));
    const store = new AoTokenStore(ao);
    const chunks: number[] = [];
    const commits: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const recorder = new LastAccessRecorder(store, silent);
      for (const [i, id] of ids.entries()) recorder.record(id, 100_000 + round * TOKENS + i, '10.2.0.1');
      const seen = await stretches(() => recorder.flush());
      commits.push(seen.pop()!);
      chunks.push(Math.max(...seen));
      await recorder.close();
    }
    const fmt = (v: number[]) => v.map((x) => x.toFixed(1)).join(' ');
    console.log(`last-access flush of ${TOKENS} tokens on SQLite, ${ROUNDS} rounds`);
    console.log(`  longest chunk per round (CPU ms): ${fmt(chunks)}  median ${median(chunks).toFixed(1)} (bar ≤ 5)`);
    console.log(`  commit per round (CPU ms):        ${fmt(commits)}  median ${median(commits).toFixed(1)}`);
  } finally {
    await runtime.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
