// The SQLite writer thread of SqliteBackend.backgroundTransaction: its own better-sqlite3
// connection to the host database file, running the statements it is sent one at a time and
// answering each with its rows or its change count. Plain JavaScript: a worker starts without
// the TypeScript loader that the host's own files need.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const db = new Database(workerData.file, { timeout: workerData.busyTimeoutMs, fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('foreign_keys = ON');
// Prepared statements by the number the main thread gave them; the SQL comes with a number's
// first use only (the main thread starts the numbering over with `reset`).
const statements = new Map();

parentPort.on('message', ({ id, stmt: number, sql, reset, params }) => {
  try {
    if (reset) statements.clear();
    if (sql !== undefined) statements.set(number, db.prepare(sql));
    const stmt = statements.get(number);
    if (stmt.reader) {
      parentPort.postMessage({ id, rows: stmt.all(...params), affected: 0, insertId: 0 });
    } else {
      const info = stmt.run(...params);
      parentPort.postMessage({ id, rows: null, affected: info.changes, insertId: Number(info.lastInsertRowid) });
    }
  } catch (err) {
    parentPort.postMessage({ id, error: { name: err && err.name, message: String(err && err.message), code: err && err.code } });
  }
});
