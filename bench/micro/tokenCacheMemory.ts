// Bytes per cached credential: fills a TokenCache with N credentials shaped like the bench's
// seeded tokens (12-character public id, 32-byte salt and SHA-256 hash as hex, a short
// description, a JIRAUSER key, the `asp_` string id, one known IP as KNOWN_IPS holds it) and compares the heap growth with the cache's own estimate.
//   node --expose-gc -r ts-node/register/transpile-only bench/micro/tokenCacheMemory.ts [N]
import { randomBytes } from 'node:crypto';
import { TokenCredential } from '../../plugin/ao/Token';
import type { TokenStore } from '../../plugin/ao/TokenStore';
import { TokenCache } from '../../plugin/service/TokenCache';
import type { InvalidationBus } from '../../plugin/service/InvalidationBus';
import { generateStringId, generateToken } from '../../plugin/token/TokenFormat';

const N = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function heap(): number {
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const descriptions = ['nightly build', 'CI pipeline', 'backup script', 'reporting', 'migration', 'monitoring'];
  // Strings are made from fresh buffers, as rows from a driver are (no sharing between entries).
  const rows = new Map<string, () => TokenCredential>();
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const id = generateToken().publicId;
    ids.push(id);
    rows.set(id, () => new TokenCredential(i + 1, Buffer.from(id).toString(), `JIRAUSER${10000 + (i % 10000)}`,
      `${descriptions[i % descriptions.length]} ${i}`, Date.now() + 86400000, 2, null, 1,
      randomBytes(32).toString('hex'), randomBytes(32).toString('hex'), false, generateStringId(), `["10.0.${i % 250}.${i % 200}"]`));
  }
  const store = { findCredential: async (id: string) => rows.get(id)!() } as unknown as TokenStore;
  const bus = { subscribe: () => () => undefined } as unknown as InvalidationBus;
  const cache = new TokenCache(store, bus);
  // The presented ids are slices of request headers: copy them so the cache keeps its own.
  const presented = ids.map((id) => `x${id}`.slice(1));
  const before = heap();
  for (const id of presented) await cache.lookup(id);
  presented.length = 0;
  const after = heap();
  const measured = (after - before) / N;
  const estimated = cache.bytes / N;
  process.stdout.write(`${N} credentials cached: heap +${((after - before) / 1048576).toFixed(1)} MiB, `
    + `${measured.toFixed(0)} B per credential measured, ${estimated.toFixed(0)} B estimated by sizeCalculation\n`);
  if (cache.size !== N) throw new Error(`expected ${N} cached, got ${cache.size}`);
}

main().catch((err) => { console.error(err); process.exit(1); });
