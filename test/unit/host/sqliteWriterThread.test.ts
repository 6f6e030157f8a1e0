import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { REGISTER_TS, ROOT } from '../../support/hostServer';

describe('SqliteWriterThread', () => {
  it('should keep the process alive while a statement is under way, and not once it is idle', function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-thread-'));
    const file = path.join(dir, 'db.sqlite');
    // Nothing but the writer thread: a final flush on exit must still be answered.
    const script = `
      const Database = require('better-sqlite3');
      new Database(${JSON.stringify(file)}).exec('CREATE TABLE T (ID INTEGER PRIMARY KEY)');
      const { SqliteWriterThread } = require('./host-sim/impl/db/SqliteWriterThread');
      const writer = new SqliteWriterThread(${JSON.stringify(file)});
      writer.run('WITH RECURSIVE N(X) AS (SELECT 1 UNION ALL SELECT X + 1 FROM N WHERE X < 3000000) SELECT COUNT(*) AS C FROM N', [])
        .then((r) => process.stdout.write('answered ' + r.rows[0].C));`;
    try {
      const run = spawnSync(process.execPath, ['-r', REGISTER_TS, '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 50_000 });
      expect(run.stderr).to.equal('');
      expect(run.stdout).to.equal('answered 3000000');
      expect(run.status).to.equal(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
