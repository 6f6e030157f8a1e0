import type { ActiveObjects, AoValue } from '../../host-sim/spi';
import { TokenColumns as C } from './TokenEntity';
import { nextTurn } from './tokenRows';
import type { LastAccessBatch, LastAccessUpdate } from './TokenStore';

/**
 * Tokens per last-access statement: requests spread over 1,000,000 tokens make nearly every
 * request a token not yet pending, so a flush costs ~1 / LAST_ACCESS_CHUNK statements per
 * request. No flush statement runs on the event loop (SQLite: a writer thread, see
 * executeInBackgroundTransaction); 2,000 rows are 8,000–10,000 bind values, far below every
 * database's limit.
 */
export const LAST_ACCESS_CHUNK = 2000;
export const LAST_ACCESS_VALUES = [
  { name: 'V_LAST_ACCESSED', type: 'bigint' }, { name: 'V_LAST_IP', type: 'text' }, { name: 'V_USE_COUNT_DELTA', type: 'bigint' },
  { name: 'V_USE_AUDITED_AT', type: 'bigint' }, { name: 'V_USE_AUDITED_IP', type: 'text' },
] as const;

/** One update as the derived table's row: `[id, …LAST_ACCESS_VALUES]` (no audited use: 0 and ''). */
export function lastAccessRow(u: LastAccessUpdate): AoValue[] {
  return [u.tokenId, u.lastAccessed, u.lastIp, u.useCountDelta, u.auditedAt ?? 0, u.auditedIp ?? ''];
}

/** Entries handled between two turns of the event loop when bucketing a large flush. */
const SCAN_SLICE = 50_000;

function isList(batch: LastAccessBatch): batch is readonly LastAccessUpdate[] {
  return Array.isArray(batch);
}

/**
 * A batch as a list. A node's pending map is copied {@link SCAN_SLICE} entries per turn of the
 * event loop into a list allocated at its full length: copying 500,000 entries at once took
 * ~12 ms, and a list grown by pushing them took up to 18 ms in one slice (its backing store
 * copied as it grows).
 */
export async function listInSlices(batch: LastAccessBatch): Promise<readonly LastAccessUpdate[]> {
  if (isList(batch)) return batch;
  const list = new Array<LastAccessUpdate>(batch.size);
  let k = 0;
  for (const u of batch.values()) {
    if (k > 0 && k % SCAN_SLICE === 0) await nextTurn();
    list[k++] = u;
  }
  return list;
}

/**
 * `updates` in chunks of `size`, in ascending token id, giving the event loop a turn before
 * every chunk and every {@link SCAN_SLICE} entries of the preparation: the
 * ids are spread over about one bucket per chunk by value, and each bucket is sorted only when
 * its turn comes, so no step sorts the whole set at once (on SQLite each statement runs on the
 * event loop, and a flush may carry hundreds of thousands of tokens).
 */
export async function* ascendingChunks(updates: readonly LastAccessUpdate[], size: number): AsyncGenerator<LastAccessUpdate[]> {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < updates.length; i++) {
    if (i > 0 && i % SCAN_SLICE === 0) await nextTurn();
    const id = updates[i].tokenId;
    if (id < min) min = id;
    if (id > max) max = id;
  }
  const count = Math.max(1, Math.ceil(updates.length / size));
  const width = (max - min + 1) / count;
  const buckets: LastAccessUpdate[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < updates.length; i++) {
    if (i > 0 && i % SCAN_SLICE === 0) await nextTurn();
    const u = updates[i];
    buckets[Math.min(count - 1, Math.floor((u.tokenId - min) / width))].push(u);
  }
  let chunk: LastAccessUpdate[] = [];
  for (const bucket of buckets) {
    bucket.sort((a, b) => a.tokenId - b.tokenId);
    for (const u of bucket) {
      chunk.push(u);
      if (chunk.length < size) continue;
      await nextTurn();
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) {
    await nextTurn();
    yield chunk;
  }
}

/**
 * The merge of one node's last-access data into the row, in portable SQL: the later time wins
 * (never backwards) with its IP, use counts add up; likewise the last audited use and its IP,
 * when the node audited one. Each assignment reads only the row's old values or gives the same
 * result after the others (MySQL may apply them in any order): an IP is taken when the node's
 * time is at least the row's, before or after the time moved to it.
 */
export function lastAccessMerge(ao: ActiveObjects): string {
  const q = (c: string) => ao.quote(c);
  const at = `COALESCE(T.${q(C.LAST_ACCESSED)}, 0)`;
  const audited = `COALESCE(T.${q(C.USE_AUDITED_AT)}, 0)`;
  return `${q(C.LAST_IP)} = CASE WHEN V.V_LAST_ACCESSED >= ${at} THEN V.V_LAST_IP ELSE T.${q(C.LAST_IP)} END, `
    + `${q(C.LAST_ACCESSED)} = CASE WHEN V.V_LAST_ACCESSED > ${at} THEN V.V_LAST_ACCESSED ELSE ${at} END, `
    + `${q(C.USE_COUNT)} = COALESCE(T.${q(C.USE_COUNT)}, 0) + V.V_USE_COUNT_DELTA, `
    + `${q(C.USE_AUDITED_IP)} = CASE WHEN V.V_USE_AUDITED_AT > 0 AND V.V_USE_AUDITED_AT >= ${audited} THEN V.V_USE_AUDITED_IP ELSE T.${q(C.USE_AUDITED_IP)} END, `
    + `${q(C.USE_AUDITED_AT)} = CASE WHEN V.V_USE_AUDITED_AT > ${audited} THEN V.V_USE_AUDITED_AT ELSE T.${q(C.USE_AUDITED_AT)} END`;
}
