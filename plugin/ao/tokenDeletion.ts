import type { ActiveObjects, AoRow, AoValue } from '../../host-sim/spi';
import { forgetRetiredSecrets } from './retiredSecrets';
import { TOKEN_ENTITY as E, TokenColumns as C } from './TokenEntity';
import type { Token } from './Token';
import { IN_CHUNK, inList, num, toToken } from './tokenRows';

// Deleting token rows inside a transaction: by id, with what was issued through them, or pruned.

/** The version a deletion marks the rows it is about to delete with (a row's own versions start at 1). */
const DELETING = 0;

/**
 * Marks the rows `where` names, reads them and returns them, for the caller to delete by id. The
 * marking UPDATE takes each row's lock before anything is read: a regeneration or change of one of
 * them committing meanwhile is waited for, and its new public id read (and so dropped from every
 * node's cache with the others), or it waits for this transaction and then finds no row. Only the
 * rows this transaction marked are read (under MariaDB's repeatable read a plain read would show
 * rows as its snapshot had them), so the tokens returned are the tokens deleted, as they are now.
 * Found by the attack review of 2026-12-04: a secret regenerated during a deletion kept working
 * from the caches, which were told only the replaced public id.
 */
async function markAndRead(tx: ActiveObjects, where: string, params: readonly AoValue[]): Promise<AoRow[]> {
  await tx.update(E, { [C.VERSION]: DELETING }, where, [...params]);
  return tx.find(E, { where: `(${where}) AND ${C.VERSION} = ?`, params: [...params, DELETING] });
}

/** Deletes the rows `where` names (see {@link markAndRead}); returns them. */
export async function deleteMarked(tx: ActiveObjects, where: string, params: readonly AoValue[]): Promise<Token[]> {
  const rows = await markAndRead(tx, where, params);
  const ids = rows.map((row) => num(row[C.ID]));
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    await tx.deleteWithSQL(E, `${C.ID} IN (${inList(chunk)})`, chunk);
  }
  return rows.map(toToken);
}

/** Deletes the rows with these ids; returns the ones that existed. */
export async function deleteByIds(tx: ActiveObjects, ids: readonly number[]): Promise<Token[]> {
  const deleted: Token[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    const rows = await markAndRead(tx, `${C.ID} IN (${inList(chunk)})`, chunk);
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
      found.push(...await deleteMarked(tx, `${C.ISSUED_VIA} IN (${inList(chunk)})`, chunk));
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
