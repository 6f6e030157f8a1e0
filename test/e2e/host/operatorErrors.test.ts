// Every way `npm start` can fail to start is one line on stderr naming the setting, its value
// and the fix, with exit code 1 and no stack trace. Runs the start script of package.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createConnection } from 'mysql2/promise';
import { createMysqlDatabase } from '../../../host-sim/testing/database';
import { DATABASE_KINDS, serverUrl } from '../../support/databases';
import { runStartCommand, type StartOutcome } from '../../support/childProcess';
import { ROOT } from '../../support/hostServer';

/** The PostgreSQL case exists only in runs that start PostgreSQL (TEST_DATABASES names it). */
const itWithPostgres = DATABASE_KINDS.includes('postgres') ? it : (): void => undefined;
const itWithMariaDb = DATABASE_KINDS.includes('mariadb') ? it : (): void => undefined;

/** Root may write anywhere: the read-only cases run as `nobody` then. */
const AS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const NOBODY = 65534;

/** Root runs the read-only cases as `nobody`, who must be able to read the checkout for that. */
function checkNobodyCanReadCheckout(): void {
  if (!AS_ROOT) return;
  const probe = spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1], require("fs").constants.R_OK)', path.join(ROOT, 'node_modules', 'ts-node', 'package.json')],
    { uid: NOBODY, gid: NOBODY, cwd: '/' });
  if (probe.status !== 0) {
    throw new Error(`these tests run npm start as nobody (uid ${NOBODY}), who cannot read ${ROOT}: make the checkout and its parent folders readable by others (chmod o+rX)`);
  }
}

function runStart(env: Record<string, string>, options: { asNobody?: boolean } = {}): Promise<StartOutcome> {
  return runStartCommand(env, options.asNobody && AS_ROOT ? { user: { uid: NOBODY, gid: NOBODY } } : {});
}

/** Exit code 1, nothing on stdout, exactly one line on stderr that names `setting=value` and the fix, no stack. */
function expectOperatorError(outcome: StartOutcome, setting: string, value: string, fix: RegExp): string {
  expect(outcome.code, outcome.stderr).to.equal(1);
  expect(outcome.stdout).to.equal('');
  const lines = outcome.stderr.trimEnd().split('\n');
  expect(lines, outcome.stderr).to.have.length(1);
  expect(outcome.stderr).not.to.match(/^\s+at /m);
  const line = lines[0];
  expect(line).to.match(/^Cannot start: /);
  expect(line).to.contain(`${setting}=${value}`);
  expect(line).to.match(fix);
  return line;
}

function busyPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('npm start: operator errors', function () {
  this.timeout(60000);
  let tmp: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-operator-'));
    fs.chmodSync(tmp, 0o755); // `nobody` must reach the folders inside
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('DATA_DIR', () => {
    before(checkNobodyCanReadCheckout);

    it('should refuse a DATA_DIR that is a file', async () => {
      const file = path.join(tmp, 'not-a-folder');
      fs.writeFileSync(file, '');
      expectOperatorError(await runStart({ DATA_DIR: file, PORT: '0' }), 'DATA_DIR', file, /is a file, not a folder; set DATA_DIR to a folder/);
    });

    it('should refuse a read-only DATA_DIR, saying read-only', async () => {
      const dir = path.join(tmp, 'read-only');
      fs.mkdirSync(dir, { mode: 0o555 });
      fs.chmodSync(dir, 0o555);
      const line = expectOperatorError(await runStart({ DATA_DIR: dir, PORT: '0' }, { asNobody: true }), 'DATA_DIR', dir, /make it writable .* or choose another DATA_DIR/);
      expect(line).to.contain('read-only');
    });

    it('should refuse a DATA_DIR whose parent folder does not exist, and create nothing', async () => {
      const dir = path.join(tmp, 'missing', 'data');
      expectOperatorError(await runStart({ DATA_DIR: dir, PORT: '0' }), 'DATA_DIR', dir, /parent folder .*missing does not exist; create /);
      expect(fs.existsSync(path.join(tmp, 'missing'))).to.equal(false);
    });

    it('should refuse a DATA_DIR that cannot be created in a read-only parent', async () => {
      const parent = path.join(tmp, 'read-only-parent');
      fs.mkdirSync(parent);
      fs.chmodSync(parent, 0o555);
      const dir = path.join(parent, 'data');
      const line = expectOperatorError(await runStart({ DATA_DIR: dir, PORT: '0' }, { asNobody: true }), 'DATA_DIR', dir, /cannot be created: .* read-only/);
      expect(line).to.contain(parent);
    });
  });

  describe('PORT and BIND_ADDRESS', () => {
    it('should name the port, not the database, when the port is in use', async () => {
      const server = await busyPort();
      try {
        const port = (server.address() as net.AddressInfo).port;
        const line = expectOperatorError(await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: String(port) }), 'PORT', String(port), /already in use on 127\.0\.0\.1; .*set PORT to a free port/);
        expect(line).not.to.match(/DB_URL|database|sqlite/i);
      } finally {
        server.close();
      }
    });

    it('should refuse a BIND_ADDRESS that is not an address of this machine', async () => {
      expectOperatorError(await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', BIND_ADDRESS: '192.0.2.1' }), 'BIND_ADDRESS', '192.0.2.1', /not an address of this machine.*set BIND_ADDRESS/);
    });
  });

  describe('DB_URL', () => {
    it('should refuse an unknown kind of URL without printing its password', async () => {
      const outcome = await runStart({ DATA_DIR: path.join(tmp, 'data'), DB_URL: 'oracle://jira:s3cret@db/jira' });
      expectOperatorError(outcome, 'DB_URL', 'oracle://jira:***@db/jira', /set DB_URL to sqlite:<file>, mysql:\/\/.* or postgres:\/\//);
      expect(outcome.stderr).not.to.contain('s3cret');
    });

    it('should refuse a SQLite file outside DATA_DIR whose folder does not exist, and not create the folder', async () => {
      const file = path.join(tmp, 'nonexistent', 'dir', 'x.db');
      expectOperatorError(await runStart({ DATA_DIR: path.join(tmp, 'data'), DB_URL: `sqlite:${file}`, PORT: '0' }), 'DB_URL', `sqlite:${file}`, /folder .*dir does not exist.*; create /);
      expect(fs.existsSync(path.join(tmp, 'nonexistent'))).to.equal(false);
    });

    it('should refuse a file that is not a SQLite database', async () => {
      const file = path.join(tmp, 'notes.db');
      fs.writeFileSync(file, 'these are not the tables you are looking for\n'.repeat(100));
      expectOperatorError(await runStart({ DATA_DIR: path.join(tmp, 'data'), DB_URL: `sqlite:${file}`, PORT: '0' }), 'DB_URL', `sqlite:${file}`, /not a SQLite database .*; point DB_URL at/);
    });

    it('should name the unreachable database server and hide the password', async () => {
      const server = await busyPort();
      const port = (server.address() as net.AddressInfo).port;
      await new Promise((r) => server.close(r));
      const outcome = await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', DB_URL: `mysql://nobody:s3cret@127.0.0.1:${port}/nothing` });
      expectOperatorError(outcome, 'DB_URL', `mysql://nobody:***@127.0.0.1:${port}/nothing`, /ECONNREFUSED\); start the database server or fix the host and port in DB_URL/);
      expect(outcome.stderr).not.to.contain('s3cret');
    });

    itWithPostgres('should name a wrong password and a missing database on a real PostgreSQL server', async () => {
      const base = new URL(serverUrl('TEST_PG_URL'));
      const wrong = new URL(base.toString());
      wrong.password = 'wrong-s3cret';
      const denied = await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', DB_URL: wrong.toString() });
      expect(expectOperatorError(denied, 'DB_URL', `${base.protocol}//${base.username}:***@`, /28P01\); fix the user and password in DB_URL/)).not.to.contain('wrong-s3cret');
      const missing = new URL(base.toString());
      missing.pathname = '/no_such_database';
      const unknown = await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', DB_URL: missing.toString() });
      expectOperatorError(unknown, 'DB_URL', `${base.protocol}//${base.username}:***@`, /no_such_database does not exist \(3D000\).*CREATE DATABASE no_such_database ENCODING 'UTF8'/);
    });

    itWithMariaDb('should name a wrong password and a missing database on a real MariaDB server', async () => {
      const base = new URL(serverUrl('TEST_MYSQL_URL'));
      const wrong = new URL(base.toString());
      wrong.password = 'wrong-s3cret';
      const denied = await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', DB_URL: wrong.toString() });
      expect(expectOperatorError(denied, 'DB_URL', `${base.protocol}//${base.username}:***@`, /ER_ACCESS_DENIED_ERROR\); fix the user and password in DB_URL/)).not.to.contain('wrong-s3cret');
      const missing = new URL(base.toString());
      missing.pathname = '/no_such_database';
      const unknown = await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', DB_URL: missing.toString() });
      expectOperatorError(unknown, 'DB_URL', `${base.protocol}//${base.username}:***@`, /no_such_database does not exist .*CREATE DATABASE no_such_database/);
    });
  });

  describe('database collation', () => {
    // Lookups expect a binary comparison: under a _ci collation "Bob" is "bob", and a node would
    // answer one user's key for another's (see host-sim/impl/db/collationCheck.ts).
    const onServer = async (sql: string[]) => {
      const base = new URL(serverUrl('TEST_MYSQL_URL'));
      const c = await createConnection({ host: base.hostname, port: Number(base.port), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
      try {
        for (const statement of sql) await c.query(statement);
      } finally {
        await c.end();
      }
    };

    itWithMariaDb('should refuse a MariaDB database whose collation ignores letter case, naming it and the fix', async () => {
      const db = await createMysqlDatabase(serverUrl('TEST_MYSQL_URL'));
      try {
        const name = new URL(db.url).pathname.slice(1);
        await onServer([`ALTER DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`]);
        const outcome = await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', DB_URL: db.url });
        expectOperatorError(outcome, 'DB_URL', `mysql://`, /collation utf8mb4_general_ci.*\(HOSTSIM_COLLATION\); use a database created with CHARACTER SET utf8mb4 COLLATE utf8mb4_bin/);
      } finally {
        await db.drop();
      }
    });

    itWithMariaDb('should refuse a binary database with a table of another collation, naming the table', async () => {
      const db = await createMysqlDatabase(serverUrl('TEST_MYSQL_URL'));
      try {
        const name = new URL(db.url).pathname.slice(1);
        await onServer([`CREATE TABLE \`${name}\`.CWD_USER_COPY (NAME VARCHAR(255)) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`]);
        const outcome = await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', DB_URL: db.url });
        expectOperatorError(outcome, 'DB_URL', `mysql://`, /collation utf8mb4_unicode_ci \(tables CWD_USER_COPY\)/);
      } finally {
        await db.drop();
      }
    });
  });

  describe('other settings', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['PRODUCT', 'bamboo', /set PRODUCT to jira or confluence/],
      ['LOG_LEVEL', 'loud', /set LOG_LEVEL to one of error, warn, info, http, verbose, debug, silly/],
      ['LOG_FORMAT', 'xml', /set LOG_FORMAT to text or json/],
      ['PORT', '70000', /set PORT to a number in that range/],
      ['PLUGIN_DESCRIPTORS', '/no/such/atlassian-plugin.json', /list existing atlassian-plugin\.json files/],
    ];
    for (const [setting, value, fix] of cases) {
      it(`should refuse ${setting}=${value}`, async () => {
        expectOperatorError(await runStart({ DATA_DIR: path.join(tmp, 'data'), [setting]: value }), setting, value, fix);
      });
    }

    // A plugin's own system property with a value it cannot use: named like the host's settings,
    // not as a failed plugin (it used to be dropped in silence: secure mode stayed off for "yes").
    it('should refuse a plugin system property given in HOSTSIM_SYSPROPS that the plugin cannot use, naming it and where it is set', async () => {
      const outcome = await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', LOG_LEVEL: 'warn', HOSTSIM_SYSPROPS: 'apitokenauth.secure.mode=ture' });
      expectOperatorError(outcome, 'apitokenauth.secure.mode', 'ture', /set it to true or false in HOSTSIM_SYSPROPS or .*host\.properties/);
    });

    it('should refuse a plugin system property given in host.properties that the plugin cannot use', async () => {
      const dataDir = path.join(tmp, 'data');
      fs.mkdirSync(dataDir);
      fs.writeFileSync(path.join(dataDir, 'host.properties'), 'apitokenauth.tokenCache.maxMiB=256MB\n');
      const outcome = await runStart({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' });
      expectOperatorError(outcome, 'apitokenauth.tokenCache.maxMiB', '256MB', /set it to a whole number of MiB from 1 to \d+ in HOSTSIM_SYSPROPS or .*host\.properties/);
    });

    it('should refuse a plugin descriptor that is not valid JSON, naming PLUGIN_DESCRIPTORS', async () => {
      const descriptor = path.join(tmp, 'atlassian-plugin.json');
      fs.writeFileSync(descriptor, '{ not json');
      expectOperatorError(await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', PLUGIN_DESCRIPTORS: descriptor }), 'PLUGIN_DESCRIPTORS', descriptor, /not valid JSON.*; fix that plugin or leave it out of PLUGIN_DESCRIPTORS/);
    });

    it('should name PLUGIN_DESCRIPTORS and the plugin when its activation fails', async () => {
      const descriptor = path.join(tmp, 'atlassian-plugin.json');
      fs.writeFileSync(descriptor, JSON.stringify({ key: 'com.example.broken', name: 'Broken', version: '1.0.0', description: 'fails', vendor: { name: 'tests' }, main: 'index.js', modules: [] }));
      fs.writeFileSync(path.join(tmp, 'index.js'), "exports.activate = async () => { throw new Error('no licence server'); };\n");
      const outcome = await runStart({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', LOG_LEVEL: 'warn', PLUGIN_DESCRIPTORS: descriptor });
      expectOperatorError(outcome, 'PLUGIN_DESCRIPTORS', descriptor, /activating com\.example\.broken failed: no licence server; fix that plugin/);
    });
  });
});
