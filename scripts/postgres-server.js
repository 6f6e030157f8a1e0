// Starts and stops a throwaway PostgreSQL 15 server on a free 127.0.0.1 port, for `npm test` and
// `npm run cluster`. Needs Debian's postgresql package (the binaries, not a running service).
// initdb refuses to run as root, so as root the server runs as the `postgres` user (runuser).
'use strict';
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { findCommand, installCommandLine } = require('./ensure-system-packages');
const { freePort } = require('./mariadb-server');

/** Debian installs the server binaries per version under /usr/lib/postgresql/<major>/bin, not on PATH. */
function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  let versions = [];
  try {
    versions = fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  } catch { /* not installed */ }
  for (const v of versions) {
    const dir = path.join(base, v, 'bin');
    if (fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres'))) return dir;
  }
  const initdb = findCommand('initdb');
  return initdb && findCommand('postgres') ? path.dirname(initdb) : null;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a server binary as the `postgres` user when we are root, as ourselves otherwise. */
function asServerUser(command, args) {
  return isRoot() ? { command: findCommand('runuser') || '/usr/sbin/runuser', args: ['-u', 'postgres', '--', command, ...args] }
    : { command, args };
}

/**
 * Resolves to {url, stop(), dir, port}; exits the process with a clear message when PostgreSQL is
 * not installed. The server is tuned for throwaway data (no fsync) and quick deadlock detection.
 * Over TCP it lets in `user` with a random password, which only `url` carries.
 */
async function startPostgres({ database = 'apitok_test', user = 'test', maxConnections = 500 } = {}) {
  // It listens on 127.0.0.1, where every user of the machine connects: a password of this run only.
  const password = crypto.randomBytes(18).toString('hex');
  const bin = postgresBinDir();
  const psql = findCommand('psql');
  const pgIsReady = findCommand('pg_isready');
  if (!bin || !psql || !pgIsReady) {
    console.error('A PostgreSQL server (15) is needed: the PostgreSQL half of the suites and `npm run cluster --db postgres` start their own. Run:\n'
      + `  ${installCommandLine(['postgresql'], { isRoot: isRoot() })}\n`
      + 'or, for npm test, point TEST_PG_URL at an existing empty database: postgres://user:pass@127.0.0.1:5432/db');
    process.exit(2);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-postgres-'));
  const data = path.join(dir, 'data');
  if (isRoot()) execFileSync('chown', ['postgres', dir]);
  const initdb = asServerUser(path.join(bin, 'initdb'),
    // Trust only on the Unix socket (the set-up below); over TCP passwords are checked, as on a real server.
    ['-D', data, '--auth-local=trust', '--auth-host=scram-sha-256', '-U', 'postgres', '-E', 'UTF8', '--locale=C',
      '--no-sync', '--no-instructions']);
  execFileSync(initdb.command, initdb.args, { stdio: 'ignore' });
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'postgres.log'), 'a');
  const server = asServerUser(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir,
    '-c', 'listen_addresses=127.0.0.1', '-c', `max_connections=${maxConnections}`, '-c', 'fsync=off',
    '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'deadlock_timeout=100ms',
    '-c', 'shared_buffers=128MB']);
  // Its own process group, so that a Ctrl-C in the terminal reaches only the parent, which stops it in order.
  const child = spawn(server.command, server.args, { stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  const deadline = Date.now() + 30000;
  const ready = () => spawnSync(pgIsReady, ['-h', '127.0.0.1', '-p', String(port), '-q'], { stdio: 'ignore' }).status === 0;
  while (!ready()) {
    if (Date.now() > deadline || child.exitCode !== null) {
      console.error(`PostgreSQL did not start; see ${dir}/postgres.log`);
      process.exit(2);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // On stdin, not in psql's arguments, which every user of the machine can read (ps): one holds the password.
  const sql = (statement) => execFileSync(psql, ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres',
    '-v', 'ON_ERROR_STOP=1', '-q'], { input: `${statement};\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  sql(`CREATE USER ${user} PASSWORD '${password}' CREATEDB`);
  // DROP DATABASE … WITH (FORCE) also ends an autovacuum worker busy in that database, which
  // only a member of pg_signal_backend may do.
  sql(`GRANT pg_signal_backend TO ${user}`);
  sql(`CREATE DATABASE ${database} OWNER ${user}`);
  /** The postmaster's pid (runuser's child when we are root). */
  const postmasterPid = () => {
    try {
      return Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    } catch {
      return null;
    }
  };
  const pid = postmasterPid();
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    port,
    dir,
    /** Stops the server (fast shutdown; waits up to 15 s for it to exit) and removes its files. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        try {
          process.kill(pid ?? child.pid, 'SIGINT');
        } catch { /* already gone */ }
        let timer;
        const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), 15000); });
        const outcome = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          try { process.kill(pid ?? child.pid, 'SIGKILL'); } catch { /* gone */ }
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startPostgres, postgresBinDir };
