// What one written row of a last-access flush costs on the embedded SQLite, by how many of the
// table's tokens one flush carries: a flush writes whole pages, so the rows it finds on a page
// share that page's cost. Seeds `rows` tokens shaped like the bench's (hex salt and hash, string
// id, KNOWN_IPS), then per flush size runs the flush's own statements (AoTokenStore: 2,000 tokens
// per UPDATE … FROM VALUES, ascending ids, one transaction, WAL) on a copy of the file, in this
// thread, and reports CPU (user + system, commit included) per row: the median of `rounds`.
//   node -r ts-node/register/transpile-only bench/micro/lastAccessRowCost.ts [rows] [flush sizes, comma-separated] [rounds]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { upgradeTasks } from '../../ao-schema/apitokenauth';
import { aoTableName } from '../../host-sim/impl/ao/aoNaming';
import { updateManyParams, updateManySql } from '../../host-sim/impl/ao/DefaultActiveObjects';
import { loadConfig } from '../../host-sim/config';
import { createHostRuntime } from '../../host-sim/impl/createHostRuntime';
import type { ActiveObjects } from '../../host-sim/spi';
import { LAST_ACCESS_CHUNK, LAST_ACCESS_VALUES, lastAccessMerge, lastAccessRow } from '../../plugin/ao/lastAccessSql';
import { TOKEN_ENTITY, TokenColumns as C } from '../../plugin/ao/TokenEntity';
import { generateStringId, generateToken } from '../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../plugin/token/SecretHasher';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const SIZES = (process.argv[3] ?? '100000,500000').split(',').map(Number).filter((n) => n > 0 && n <= ROWS);
const ROUNDS = Number(process.argv[4] ?? 3);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** A SQLite file with the plugin's schema and `ROWS` tokens of one user, seeded through the host's ActiveObjects. */
async function seededFile(dataDir: string): Promise<string> {
  const config = loadConfig({ NODE_ENV: 'test', PRODUCT: 'jira', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, path.resolve(__dirname, '../..'));
  const runtime = await createHostRuntime(config, { extraMigrations: upgradeTasks({ dialect: 'sqlite', tableName: (entity) => aoTableName('AO_5D4005', entity) }) });
  try {
    const ao = runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects;
    const salt = newSalt();
    const g = generateToken();
    const hash = hashSecret(salt, g.publicId, g.secret).toString('hex');
    for (let done = 0; done < ROWS; done += 10_000) {
      await ao.createMany(TOKEN_ENTITY, Array.from({ length: Math.min(10_000, ROWS - done) }, (_, i) => ({
        [C.PUBLIC_ID]: generateToken().publicId, [C.STRING_ID]: generateStringId(), [C.USER_KEY]: 'JIRAUSER10100', [C.DESCRIPTION]: `spread ${done + i}`,
        [C.CREATED]: Date.now(), [C.CREATED_BY]: 'JIRAUSER10100', [C.VALID_UNTIL]: 9_000_000_000_000, [C.SCOPE]: 2, [C.SALT]: salt.toString('hex'), [C.HASH]: hash,
        [C.LAST_ACCESSED]: 0, [C.LAST_IP]: null, [C.USE_COUNT]: 0, [C.RESTRICTIONS]: null, [C.NOTIFICATION_STATE]: null,
        [C.KNOWN_IPS]: '["127.0.0.1"]', [C.VERSION]: 1,
      })));
    }
  } finally {
    await runtime.close();
  }
  const file = fs.readdirSync(dataDir).find((f) => f.endsWith('.db'));
  if (!file) throw new Error(`no database file in ${dataDir}`);
  return path.join(dataDir, file);
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rowcost-'));
  try {
    const seeded = await seededFile(dataDir);
    const table = `"${aoTableName('AO_5D4005', TOKEN_ENTITY)}"`;
    const set = lastAccessMerge({ quote: (c: string) => `"${c}"` } as ActiveObjects);
    console.log(`last-access flush on SQLite, ${ROWS} tokens in the table, ${ROUNDS} rounds per size (CPU of this thread, commit included)`);
    for (const size of SIZES) {
      const perRow: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const copy = path.join(dataDir, 'copy.db');
        fs.copyFileSync(seeded, copy);
        const db = new BetterSqlite3(copy);
        db.pragma('journal_mode = WAL');
        const ids = (db.prepare(`SELECT "ID" FROM ${table}`).all() as Array<{ ID: number }>).map((r) => r.ID);
        for (let i = ids.length - 1; i > 0; i--) {
          const j = Math.floor(Math.random() * (i + 1));
          [ids[i], ids[j]] = [ids[j], ids[i]];
        }
        const chosen = ids.slice(0, size).sort((a, b) => a - b);
        const full = db.prepare(updateManySql('sqlite', table, '"ID"', LAST_ACCESS_VALUES, LAST_ACCESS_CHUNK, set));
        const c0 = process.cpuUsage();
        db.exec('BEGIN IMMEDIATE');
        for (let c = 0; c < chosen.length; c += LAST_ACCESS_CHUNK) {
          const rows = chosen.slice(c, c + LAST_ACCESS_CHUNK).map((id) => lastAccessRow({ tokenId: id, lastAccessed: Date.now(), lastIp: '10.0.0.1', useCountDelta: 1 }));
          const stmt = rows.length === LAST_ACCESS_CHUNK ? full : db.prepare(updateManySql('sqlite', table, '"ID"', LAST_ACCESS_VALUES, rows.length, set));
          stmt.run(updateManyParams('sqlite', rows, LAST_ACCESS_VALUES.length + 1));
        }
        db.exec('COMMIT');
        const cpu = process.cpuUsage(c0);
        perRow.push((cpu.user + cpu.system) / size);
        db.close();
        for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) fs.rmSync(f, { force: true });
      }
      console.log(`  flush of ${size} tokens (${((100 * size) / ROWS).toFixed(0)}% of the table): ${perRow.map((x) => x.toFixed(2)).join(' ')} µs per row, median ${median(perRow).toFixed(2)}`);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
