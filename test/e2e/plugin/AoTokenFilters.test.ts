// docs/api.md `GET /user/tokensByFilter`: every filter (userFilter, descriptionFilter, notValidAfter,
// tokenScope, from/untilCreated, from/untilLastUsed, from/untilExpiresDuring), on every database.
// The store suite ran four of them on the real databases (users, description, notValidAfter,
// createdFrom); the others ran only on the unit tests' in-memory SQLite, and scope, the until
// bounds and the last-used range never on MariaDB or PostgreSQL, where the plugin's SQL quotes its
// upper-case AO columns. Bounds are inclusive; a never-used token has last-used 0.
import { expect } from 'chai';
import { DEFAULT_TOKEN_SORT, type NewTokenRecord, type TokenFilter } from '../../../plugin/ao/TokenStore';
import type { TokenScope } from '../../../plugin/ao/Token';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { forEachDatabase } from '../../support/databases';
import { useAoTokenStore } from './support/aoTokenStore';

interface Row { user: string; description: string; created: number; validUntil: number; scope: TokenScope; lastUsed: number }

/** Four tokens of two users; `lastUsed` 0 = never used. */
const ROWS: Record<string, Row> = {
  t1: { user: 'flt-a', description: 'Nightly Build', created: 1000, validUntil: 10_000, scope: 1, lastUsed: 0 },
  t2: { user: 'flt-a', description: 'deploy bot', created: 2000, validUntil: 20_000, scope: 2, lastUsed: 5000 },
  t3: { user: 'flt-b', description: 'nightly report', created: 3000, validUntil: 30_000, scope: 2, lastUsed: 7000 },
  t4: { user: 'flt-b', description: 'legacy script', created: 4000, validUntil: 40_000, scope: 0, lastUsed: 9000 },
};

const USERS = ['flt-a', 'flt-b'];

/** Each filter (always within the two users) and the tokens it must give, in valid-until order. */
const CASES: ReadonlyArray<[TokenFilter, string[]]> = [
  [{ userKeys: USERS }, ['t1', 't2', 't3', 't4']],
  [{ userKeys: ['flt-a'] }, ['t1', 't2']],
  [{ userKeys: USERS, descriptionContains: 'NIGHTLY' }, ['t1', 't3']],
  [{ userKeys: USERS, notValidAfter: 20_000 }, ['t1', 't2']],
  [{ userKeys: USERS, scope: 0 }, ['t4']],
  [{ userKeys: USERS, scope: 1 }, ['t1']],
  [{ userKeys: USERS, scope: 2 }, ['t2', 't3']],
  [{ userKeys: USERS, createdFrom: 2000 }, ['t2', 't3', 't4']],
  [{ userKeys: USERS, createdUntil: 2000 }, ['t1', 't2']],
  [{ userKeys: USERS, createdFrom: 2000, createdUntil: 3000 }, ['t2', 't3']],
  [{ userKeys: USERS, lastUsedFrom: 1 }, ['t2', 't3', 't4']],
  [{ userKeys: USERS, lastUsedFrom: 7000 }, ['t3', 't4']],
  [{ userKeys: USERS, lastUsedUntil: 0 }, ['t1']],
  [{ userKeys: USERS, lastUsedUntil: 7000 }, ['t1', 't2', 't3']],
  [{ userKeys: USERS, lastUsedFrom: 5000, lastUsedUntil: 7000 }, ['t2', 't3']],
  [{ userKeys: USERS, expiresFrom: 20_000 }, ['t2', 't3', 't4']],
  [{ userKeys: USERS, expiresUntil: 30_000 }, ['t1', 't2', 't3']],
  [{ userKeys: USERS, expiresFrom: 20_000, expiresUntil: 30_000 }, ['t2', 't3']],
  [{ userKeys: USERS, scope: 2, descriptionContains: 'bot', createdUntil: 2000, lastUsedFrom: 5000, expiresUntil: 20_000 }, ['t2']],
  [{ userKeys: USERS, scope: 1, lastUsedFrom: 1 }, []],
];

function record(row: Row): NewTokenRecord {
  const g = generateToken();
  const salt = newSalt();
  return { publicId: g.publicId, stringId: generateStringId(), userKey: row.user, description: row.description, created: row.created,
    createdBy: row.user, validUntil: row.validUntil, scope: row.scope, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null };
}

forEachDatabase('tokensByFilter filters on the token store', (kind) => {
  const suite = useAoTokenStore(kind, 'aofilters-');
  const names = new Map<number, string>();

  before(async () => {
    for (const [name, row] of Object.entries(ROWS)) {
      const inserted = await suite.store.insert(record(row), 100);
      if (!inserted.ok) throw new Error(`insert ${name}: ${inserted.reason}`);
      names.set(inserted.token.id, name);
      if (row.lastUsed > 0) await suite.store.recordLastAccess([{ tokenId: inserted.token.id, lastAccessed: row.lastUsed, lastIp: '10.0.0.1', useCountDelta: 1 }]);
    }
  });

  it('should give exactly the tokens each filter names, with a total that agrees', async () => {
    for (const [filter, expected] of CASES) {
      const page = await suite.store.findSortedPage(filter, DEFAULT_TOKEN_SORT, 0, 50);
      expect(page.map((t) => names.get(t.id)), JSON.stringify(filter)).to.deep.equal(expected);
      expect(await suite.store.countByFilter(filter), `count ${JSON.stringify(filter)}`).to.equal(expected.length);
    }
  });
});
