// Starts and stops a throwaway MariaDB server on a free 127.0.0.1 port, for `npm test` and
// `npm run bench`. Needs Debian's mariadb-server package (the binaries, not a running service).
'use strict';
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { findCommand, installCommandLine } = require('./ensure-system-packages');

/** An executable on PATH (then the sbin directories), or null. */
function which(cmd) {
  return findCommand(cmd);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/**
 * Resolves to {url, stop(), dir, port}; exits the process with a clear message when MariaDB is not
 * installed. Over TCP it lets in the user `test` with a random password, which only `url` carries.
 * `detached`: the server gets its own process group, so a Ctrl-C in the terminal
 * reaches only the caller, which then stops it after whatever uses it (`npm run cluster`).
 */
async function startMariaDb({ database = 'apitok_test', bufferPool = '256M', detached = false } = {}) {
  const mariadbd = which('mariadbd');
  const installDb = which('mariadb-install-db');
  const admin = which('mariadb-admin');
  const client = which('mariadb');
  if (!mariadbd || !installDb || !admin || !client) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    console.error('A MariaDB server (10.11) is needed: the MariaDB half of the suites and the benchmark start their own. Run:\n'
      + `  ${installCommandLine(['mariadb-server'], { isRoot })}\n`
      + 'or, for npm test, point TEST_MYSQL_URL at an existing empty database: mysql://user:pass@127.0.0.1:3306/db');
    process.exit(2);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-mariadb-'));
  const port = await freePort();
  const sock = path.join(dir, 'sock');
  fs.mkdirSync(path.join(dir, 'tmp'));
  execFileSync(installDb, ['--no-defaults', '--user=root', `--datadir=${dir}/data`,
    '--auth-root-authentication-method=socket', '--skip-test-db'], { stdio: 'ignore' });
  const server = spawn(mariadbd, ['--no-defaults', '--user=root', `--datadir=${dir}/data`, `--socket=${sock}`,
    `--pid-file=${dir}/pid`, `--port=${port}`, '--bind-address=127.0.0.1', '--skip-log-bin',
    '--character-set-server=utf8mb4', '--collation-server=utf8mb4_bin', '--max-connections=500', `--tmpdir=${dir}/tmp`,
    '--innodb-flush-log-at-trx-commit=2', `--innodb-buffer-pool-size=${bufferPool}`],
  { stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'mariadbd.log'), 'a')], detached });
  const deadline = Date.now() + 30000;
  while (spawnSync(admin, [`--socket=${sock}`, 'ping'], { stdio: 'ignore' }).status !== 0) {
    if (Date.now() > deadline || server.exitCode !== null) {
      console.error(`MariaDB did not start; see ${dir}/mariadbd.log`);
      process.exit(2);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  // It listens on 127.0.0.1, where every user of the machine connects: a password of this run only.
  const password = crypto.randomBytes(18).toString('hex');
  // On stdin, not in the client's arguments, which every user of the machine can read (ps).
  execFileSync(client, [`--socket=${sock}`, '-uroot'], {
    input: `CREATE USER 'test'@'127.0.0.1' IDENTIFIED BY '${password}'; GRANT ALL ON *.* TO 'test'@'127.0.0.1'; `
      + `CREATE DATABASE ${database}; FLUSH PRIVILEGES;`,
  });
  return {
    url: `mysql://test:${password}@127.0.0.1:${port}/${database}`,
    port,
    /** Stops the server (waits up to 15 s for it to exit) and removes its files. */
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        let timer;
        await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(resolve, 15000); })]);
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
    dir,
  };
}

module.exports = { startMariaDb, freePort, which };
