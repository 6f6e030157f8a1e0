import type { ActiveObjects, AoRow } from '../../host-sim/spi';
import { RETIRED_SECRET_ENTITY as RS, RetiredSecretColumns as R } from './RetiredSecretEntity';
import { RetiredCredential } from './Token';
import { TOKEN_ENTITY as E, TokenColumns as C } from './TokenEntity';

const IN_CHUNK = 500;

function inList(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** Keeps the secret of the token row `row` (read before its regeneration) as retired, inside `tx`. */
export async function retireSecret(tx: ActiveObjects, row: AoRow, at: number, via: number): Promise<void> {
  await tx.create(RS, {
    [R.TOKEN_STRING_ID]: String(row[C.STRING_ID]),
    [R.PUBLIC_ID]: String(row[C.PUBLIC_ID]),
    [R.SALT]: String(row[C.SALT]),
    [R.HASH]: String(row[C.HASH]),
    [R.RETIRED]: at,
    [R.RETIRED_VIA]: via,
  });
}

/** Deletes the retired secrets of these tokens (by `STRING_ID`), inside the transaction that deletes them. */
export async function forgetRetiredSecrets(tx: ActiveObjects, tokenStringIds: readonly string[]): Promise<void> {
  for (let i = 0; i < tokenStringIds.length; i += IN_CHUNK) {
    const chunk = tokenStringIds.slice(i, i + IN_CHUNK);
    await tx.deleteWithSQL(RS, `${R.TOKEN_STRING_ID} IN (${inList(chunk.length)})`, chunk);
  }
}

/**
 * The retired secrets among these public ids, each with the id of the token it belonged to (one
 * query for the secrets and one for their tokens per 500); a secret whose token is gone is left out.
 */
export async function findRetiredCredentials(ao: ActiveObjects, publicIds: readonly string[]): Promise<RetiredCredential[]> {
  const out: RetiredCredential[] = [];
  for (let i = 0; i < publicIds.length; i += IN_CHUNK) {
    const chunk = publicIds.slice(i, i + IN_CHUNK);
    const rows = await ao.find(RS, { where: `${R.PUBLIC_ID} IN (${inList(chunk.length)})`, params: chunk });
    if (rows.length === 0) continue;
    const stringIds = [...new Set(rows.map((r) => String(r[R.TOKEN_STRING_ID])))];
    const tokens = await ao.find(E, { columns: [C.ID, C.STRING_ID], where: `${C.STRING_ID} IN (${inList(stringIds.length)})`, params: stringIds });
    const idOf = new Map(tokens.map((t) => [String(t[C.STRING_ID]), Number(t[C.ID])]));
    for (const row of rows) {
      const tokenId = idOf.get(String(row[R.TOKEN_STRING_ID]));
      if (tokenId !== undefined) out.push(new RetiredCredential(tokenId, String(row[R.PUBLIC_ID]), String(row[R.SALT]), String(row[R.HASH])));
    }
  }
  return out;
}
