// A trigger that makes every insert into the host's change log (HOST_CLUSTER_MESSAGE) fail: the
// database gone for a moment right after a change committed, made deterministic. On SQLite,
// MariaDB and PostgreSQL.
import Database from 'better-sqlite3';
import { queryRows } from '../../plugin/support/seedTokenRows';

const TRIGGERS = {
  postgres: {
    block: [
      "CREATE FUNCTION apitok_test_block() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'change log blocked by the test'; END $$",
      'CREATE TRIGGER apitok_test_block BEFORE INSERT ON HOST_CLUSTER_MESSAGE FOR EACH ROW EXECUTE FUNCTION apitok_test_block()',
    ],
    unblock: ['DROP TRIGGER IF EXISTS apitok_test_block ON HOST_CLUSTER_MESSAGE', 'DROP FUNCTION IF EXISTS apitok_test_block()'],
  },
  mariadb: {
    block: ["CREATE TRIGGER apitok_test_block BEFORE INSERT ON HOST_CLUSTER_MESSAGE FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'change log blocked by the test'"],
    unblock: ['DROP TRIGGER IF EXISTS apitok_test_block'],
  },
  sqlite: {
    block: ["CREATE TRIGGER apitok_test_block BEFORE INSERT ON HOST_CLUSTER_MESSAGE BEGIN SELECT RAISE(ABORT, 'change log blocked by the test'); END"],
    unblock: ['DROP TRIGGER IF EXISTS apitok_test_block'],
  },
} as const;

function kindOf(dbUrl: string): keyof typeof TRIGGERS {
  if (dbUrl.startsWith('sqlite:')) return 'sqlite';
  return dbUrl.startsWith('postgres') ? 'postgres' : 'mariadb';
}

/** Makes every insert into the change log of the database at `dbUrl` fail (`block`), or undoes it. */
export async function changeLogTrigger(dbUrl: string, step: 'block' | 'unblock'): Promise<void> {
  const kind = kindOf(dbUrl);
  for (const sql of TRIGGERS[kind][step]) {
    if (kind === 'sqlite') {
      const db = new Database(dbUrl.slice('sqlite:'.length), { fileMustExist: true, timeout: 5000 });
      try { db.exec(sql); } finally { db.close(); }
    } else {
      await queryRows(dbUrl, sql);
    }
  }
}
