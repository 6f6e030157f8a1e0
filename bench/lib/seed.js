// Bulk seeder: stores N real tokens (valid format, per-token salt and hash, as the plugin
// writes them) for U users straight into the token table with multi-row INSERTs inside
// transactions — not through the REST API, which would take hours for 1,000,000 rows.
'use strict';
require('ts-node').register({ transpileOnly: true });
const { generateToken, generateStringId } = require('../../plugin/token/TokenFormat');
const { newSalt, hashSecret } = require('../../plugin/token/SecretHasher');

const TABLES = { jira: 'AO_5D4005_TOKEN', confluence: 'AO_2DF51C_TOKEN' };
const COLUMNS = ['PUBLIC_ID', 'STRING_ID', 'USER_KEY', 'DESCRIPTION', 'CREATED', 'CREATED_BY', 'VALID_UNTIL',
  'SCOPE', 'SALT', 'HASH', 'LAST_ACCESSED', 'LAST_IP', 'USE_COUNT', 'VERSION'];
const DESCRIPTIONS = ['nightly build', 'CI pipeline', 'backup script', 'reporting', 'migration', 'monitoring'];
const DAY = 86400000;

/** User key of seeded user `i` (they need not exist in the user table to be filtered by). */
function seededUserKey(i) {
  return `benchuser${i}`;
}

function* rows(count, users, now) {
  for (let i = 0; i < count; i++) {
    const t = generateToken();
    const salt = newSalt();
    const created = now - ((i * 7919) % (365 * DAY));
    yield [
      t.publicId, generateStringId(), seededUserKey(i % users), `${DESCRIPTIONS[i % DESCRIPTIONS.length]} ${i}`,
      created, 'admin', created + ((i * 104729) % (400 * DAY)) + DAY, 1 + (i % 2),
      salt.toString('hex'), hashSecret(salt, t.publicId, t.secret).toString('hex'),
      i % 3 === 0 ? 0 : created + DAY, i % 3 === 0 ? null : '10.0.0.1', i % 3 === 0 ? 0 : i % 50, 1,
    ];
  }
}

async function seedMysql(url, table, count, users, now) {
  const mysql = require('mysql2/promise');
  const conn = await mysql.createConnection({ uri: url, supportBigNumbers: true });
  try {
    const chunk = 1000;
    let batch = [];
    await conn.beginTransaction();
    let inTx = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await conn.query(`INSERT INTO \`${table}\` (${COLUMNS.join(', ')}) VALUES ?`, [batch]);
      inTx += batch.length;
      batch = [];
      if (inTx >= 50000) { await conn.commit(); await conn.beginTransaction(); inTx = 0; }
    };
    for (const r of rows(count, users, now)) {
      batch.push(r);
      if (batch.length === chunk) await flush();
    }
    await flush();
    await conn.commit();
  } finally {
    await conn.end();
  }
}

/**
 * Multi-row INSERTs of `rows` into `table` on PostgreSQL, where Active Objects' upper-case table
 * and column names exist only quoted; commits every `perTransaction` rows. `columns` name the values.
 */
async function insertPostgres(url, table, columns, rows, { perStatement = 1000, perTransaction = 50000 } = {}) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
    let batch = [];
    let inTx = 0;
    await client.query('BEGIN');
    const flush = async () => {
      if (batch.length === 0) return;
      const tuples = batch.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
      await client.query(head + tuples.join(', '), batch.flat());
      inTx += batch.length;
      batch = [];
      if (inTx >= perTransaction) { await client.query('COMMIT'); await client.query('BEGIN'); inTx = 0; }
    };
    for (const r of rows) {
      batch.push(r);
      if (batch.length === perStatement) await flush();
    }
    await flush();
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

function seedSqlite(file, table, count, users, now) {
  const Database = require('better-sqlite3');
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 30000');
    const per = 500;
    const placeholders = `(${COLUMNS.map(() => '?').join(', ')})`;
    const stmt = db.prepare(`INSERT INTO "${table}" (${COLUMNS.join(', ')}) VALUES ${Array(per).fill(placeholders).join(', ')}`);
    const single = db.prepare(`INSERT INTO "${table}" (${COLUMNS.join(', ')}) VALUES ${placeholders}`);
    let batch = [];
    const insertMany = db.transaction((list) => {
      for (let i = 0; i + per <= list.length; i += per) stmt.run(list.slice(i, i + per).flat());
      for (let i = list.length - (list.length % per); i < list.length; i++) single.run(list[i]);
    });
    for (const r of rows(count, users, now)) {
      batch.push(r);
      if (batch.length === 50000) { insertMany(batch); batch = []; }
    }
    insertMany(batch);
  } finally {
    db.close();
  }
}

/** Seeds `count` tokens for `users` users into the product's token table at `dbUrl`. */
async function seedTokens({ dbUrl, product = 'jira', count, users, now = Date.now() }) {
  const table = TABLES[product];
  if (dbUrl.startsWith('mysql://')) return seedMysql(dbUrl, table, count, users, now);
  if (dbUrl.startsWith('sqlite:')) return seedSqlite(dbUrl.slice('sqlite:'.length), table, count, users, now);
  if (/^postgres(ql)?:\/\//.test(dbUrl)) return insertPostgres(dbUrl, table, COLUMNS, rows(count, users, now));
  throw new Error(`unsupported DB_URL ${dbUrl}`);
}

module.exports = { seedTokens, seededUserKey, insertPostgres, TABLES };
