// What the last-access recorder makes the young generation promote: `uses` token uses drawn at
// random from `tokens` tokens, each with its own client-IP string of the same text (as the host
// builds one per request), with a request's worth of short-lived garbage between uses, as in a
// host serving a spread of tokens from one client. Prints the bytes V8 promoted to the old
// generation per use: it runs itself again under `--trace-gc-nvp` and sums what the young-
// generation collections promoted. Bytes, not time: the figure does not depend on the VM's speed.
//   node -r ts-node/register/transpile-only bench/micro/lastAccessPromotion.ts [uses] [tokens]
import { spawnSync } from 'node:child_process';
import type { Logger } from '../../host-sim/spi';
import type { TokenStore } from '../../plugin/ao/TokenStore';
import { LastAccessRecorder } from '../../plugin/service/LastAccessRecorder';

const USES = Number(process.argv[2] ?? 1_000_000);
const TOKENS = Number(process.argv[3] ?? 200_000);

if (!process.env.LAST_ACCESS_PROMOTION_CHILD) {
  const child = spawnSync(process.execPath, ['--trace-gc-nvp', '-r', 'ts-node/register/transpile-only', __filename, String(USES), String(TOKENS)],
    { env: { ...process.env, LAST_ACCESS_PROMOTION_CHILD: '1' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let promoted = 0;
  let scavenges = 0;
  for (const line of child.stdout.split('\n')) {
    if (!/\bgc=s\b/.test(line)) continue;
    scavenges++;
    promoted += Number(/promoted=(\d+)/.exec(line)?.[1] ?? 0);
  }
  const result = child.stdout.split('\n').find((l) => l.startsWith('{'));
  console.log(`${USES} uses of ${TOKENS} tokens: ${scavenges} scavenges, ${(promoted / USES).toFixed(1)} bytes promoted per use; ${result ?? child.stderr}`);
  process.exit(child.status ?? 1);
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, isDebugEnabled: () => false, isInfoEnabled: () => false, child: () => silent } as unknown as Logger;
// The flush never completes during the loop: every use stays pending, as between two flushes.
const store = { recordLastAccess: () => new Promise<void>(() => {}) } as unknown as TokenStore;
const recorder = new LastAccessRecorder(store, silent, { flushAt: TOKENS * 2 });

const lastOctet = String(1 + (Date.now() % 1));
let sink: unknown = null;
const started = process.hrtime.bigint();
for (let i = 0; i < USES; i++) {
  recorder.record(Math.floor(Math.random() * TOKENS), Date.now(), `127.0.0.${lastOctet}`);
  const garbage: unknown[] = [];
  for (let j = 0; j < 20; j++) garbage.push({ i, j, text: `x${j}` });
  sink = garbage;
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
console.log(JSON.stringify({ pending: recorder.size, ms: Math.round(ms), kept: Array.isArray(sink) }));
