import type { ActiveObjects } from '../../host-sim/spi';
import { forgetRetiredSecrets } from './retiredSecrets';
import { TOKEN_ENTITY as E, TokenColumns as C } from './TokenEntity';
import type { Token } from './Token';
import { IN_CHUNK, inList, toToken } from './tokenRows';

// Deleting token rows inside a transaction: by id, with what was issued through them, or pruned.

/** Deletes the rows with these ids; returns the ones that existed. */
export async function deleteByIds(tx: ActiveObjects, ids: readonly number[]): Promise<Token[]> {
  const deleted: Token[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    const rows = await tx.find(E, { where: `${C.ID} IN (${inList(chunk)})`, params: chunk });
    // Also when nothing matched: the revocation API runs the same statements for any input.
    await tx.deleteWithSQL(E, `${C.ID} IN (${inList(chunk)})`, chunk);
    for (const row of rows) deleted.push(toToken(row));
  }
  // A string id no token has when nothing matched: the revocation API runs the same statements for any input.
  await forgetRetiredSecrets(tx, deleted.length > 0 ? deleted.map((t) => t.stringId) : ['-']);
  return deleted;
}

/**
 * Deletes the tokens issued through these (ISSUED_VIA), then those issued through them, until
 * none is left. Ends on cycles too (a token regenerated through one issued through it): every
 * round deletes what it found, so nothing is found twice.
 */
export async function deleteIssuedThrough(tx: ActiveObjects, parentIds: readonly number[]): Promise<Token[]> {
  const deleted: Token[] = [];
  let parents = parentIds;
  while (parents.length > 0) {
    const found: Token[] = [];
    for (let i = 0; i < parents.length; i += IN_CHUNK) {
      const chunk = parents.slice(i, i + IN_CHUNK);
      const rows = await tx.find(E, { where: `${C.ISSUED_VIA} IN (${inList(chunk)})`, params: chunk });
      if (rows.length === 0) continue;
      await tx.deleteWithSQL(E, `${C.ISSUED_VIA} IN (${inList(chunk)})`, chunk);
      for (const row of rows) found.push(toToken(row));
    }
    await forgetRetiredSecrets(tx, found.map((t) => t.stringId));
    deleted.push(...found);
    parents = found.map((t) => t.id);
  }
  return deleted;
}

/**
 * Pruning (no revocation), inside `tx`: deletes the tokens with these ids (and their retired
 * secrets); what was issued through them stays and loses the link, so that no id of a token gone
 * names its origin (a regeneration would take it for a revocation under way, see
 * AoTokenStore.rotate). Shared with the maintenance store. Returns what it deleted.
 */
export async function pruneByIds(tx: ActiveObjects, ids: readonly number[]): Promise<Token[]> {
  const deleted = await deleteByIds(tx, ids);
  const gone = deleted.map((t) => t.id);
  for (let i = 0; i < gone.length; i += IN_CHUNK) {
    const chunk = gone.slice(i, i + IN_CHUNK);
    await tx.update(E, { [C.ISSUED_VIA]: null }, `${C.ISSUED_VIA} IN (${inList(chunk)})`, chunk);
  }
  return deleted;
}
