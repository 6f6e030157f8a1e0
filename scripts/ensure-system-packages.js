// The Debian packages `npm test` needs beside node_modules, and the set-up when they are missing:
// as root with apt-get it says what it installs and installs them (`apt-get update` once, then
// one `apt-get install -y`); otherwise it prints the one command line to run and the run stops.
//
// To need another package, add an entry to SYSTEM_PACKAGES: the Debian package, the commands
// it provides (all must be found) and when a run needs it.
//
//   node scripts/ensure-system-packages.js [spec …]   # the same check on its own (exit 0 or 2)
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** Directories searched after PATH: Debian puts server binaries (mariadbd) in sbin, which a user's PATH often lacks. */
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/**
 * True when a mocha run over `specs` (paths or globs relative to the repository; none = every
 * suite) may include files under `dir` (e.g. `test/e2e/ui/`).
 */
function mayRun(specs, dir) {
  if (specs.length === 0) return true;
  return specs.some((spec) => {
    const relative = path.isAbsolute(spec) ? path.relative(ROOT, spec) : spec;
    const normalised = path.posix.normalize(relative.split(path.sep).join('/')).replace(/^\.\//, '');
    const fixed = normalised.split(/[*?[{]/)[0];
    return fixed.startsWith(dir) || dir.startsWith(fixed);
  });
}

const TEST_DATABASE_KINDS = ['sqlite', 'mariadb', 'postgres'];
const DEFAULT_TEST_DATABASES = ['sqlite', 'mariadb', 'postgres'];

/**
 * The databases the database suites run on: TEST_DATABASES (comma-separated, e.g. `postgres`)
 * or the default. Unknown names are an error, so that a typo never silently skips a database.
 */
function testDatabaseKinds(env = process.env) {
  const raw = (env.TEST_DATABASES || '').trim();
  if (!raw) return [...DEFAULT_TEST_DATABASES];
  const kinds = raw.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !TEST_DATABASE_KINDS.includes(k));
  if (unknown.length) throw new Error(`TEST_DATABASES names unknown databases: ${unknown.join(', ')} (known: ${TEST_DATABASE_KINDS.join(', ')})`);
  return TEST_DATABASE_KINDS.filter((k) => kinds.includes(k));
}

/** What the test suites need from the system. `needed` gets `{ env, specs }`. */
const SYSTEM_PACKAGES = [
  {
    name: 'mariadb-server',
    commands: ['mariadbd', 'mariadb-install-db', 'mariadb-admin', 'mariadb'],
    purpose: 'the throwaway MariaDB server of the database suites',
    needed: ({ env }) => !env.TEST_MYSQL_URL && testDatabaseKinds(env).includes('mariadb'),
  },
  {
    // The server binaries (initdb, postgres) live in /usr/lib/postgresql/<version>/bin, off PATH;
    // pg_ctlcluster (postgresql-common) comes only with the server package.
    name: 'postgresql',
    commands: ['psql', 'pg_isready', 'pg_ctlcluster'],
    purpose: 'the throwaway PostgreSQL server of the database suites',
    needed: ({ env }) => !env.TEST_PG_URL && testDatabaseKinds(env).includes('postgres'),
  },
  {
    name: 'chromium',
    commands: ['chromium'],
    purpose: 'the browser suites in test/e2e/ui',
    needed: ({ specs }) => mayRun(specs, 'test/e2e/ui/'),
  },
  {
    name: 'curl',
    commands: ['curl'],
    purpose: 'the end-to-end suites that call the host with real curl',
    needed: ({ specs }) => mayRun(specs, 'test/e2e/'),
  },
  {
    name: 'haproxy',
    commands: ['haproxy'],
    purpose: 'the load balancer in front of the cluster suites\' nodes and of the HTTP protocol suite',
    needed: ({ specs }) => mayRun(specs, 'test/e2e/cluster/') || mayRun(specs, 'test/e2e/host/httpProtocolAttacks.test.ts'),
  },
];

/** The absolute path of an executable `command` on PATH (then the sbin directories), or null. */
function findCommand(command, env = process.env) {
  const dirs = (env.PATH || '').split(path.delimiter).filter(Boolean).concat(SBIN_DIRS);
  for (const dir of dirs) {
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch { /* not here */ }
  }
  return null;
}

/** The packages this run needs whose commands are not all found. */
function missingPackages({ packages = SYSTEM_PACKAGES, env = process.env, specs = [], find = (c) => findCommand(c, env) } = {}) {
  return packages.filter((p) => p.needed({ env, specs }) && p.commands.some((c) => !find(c)));
}

function describe(missing) {
  return missing.map((p) => `${p.name} (for ${p.purpose})`).join(', ');
}

/** The one command line that installs `names` (with `sudo` unless already root). */
function installCommandLine(names, { isRoot }) {
  const sudo = isRoot ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}DEBIAN_FRONTEND=noninteractive apt-get install -y ${names.join(' ')}`;
}

/**
 * What to do about `missing`: nothing, install (root with apt-get) or fail with the command to run.
 * Returns `{ action: 'none' }`, `{ action: 'install', announce, steps: [{ command, args, env }] }`
 * or `{ action: 'fail', message }`.
 */
function decide({ missing, isRoot, hasAptGet }) {
  if (missing.length === 0) return { action: 'none' };
  const names = missing.map((p) => p.name);
  if (isRoot && hasAptGet) {
    return {
      action: 'install',
      announce: `npm test: installing the Debian packages it needs: ${describe(missing)}`,
      steps: [
        { command: 'apt-get', args: ['update', '-q'], env: {} },
        { command: 'apt-get', args: ['install', '-y', '-q', ...names], env: { DEBIAN_FRONTEND: 'noninteractive' } },
      ],
    };
  }
  const elsewhere = hasAptGet ? '' : ' (Debian/Ubuntu packages: elsewhere, install their equivalents)';
  const existing = (names.includes('mariadb-server') ? '\n(or set TEST_MYSQL_URL=mysql://user:pass@host:port/db to use an existing MariaDB server)' : '')
    + (names.includes('postgresql') ? '\n(or set TEST_PG_URL=postgres://user:pass@host:port/db to use an existing PostgreSQL server)' : '');
  return {
    action: 'fail',
    message: `npm test needs ${describe(missing)}${elsewhere}. Run:\n  ${installCommandLine(names, { isRoot })}${existing}`,
  };
}

/** Runs one step; resolves to `{ ok, output }` (output: the step's last 4 KB, for a failure message). */
function runStep(step) {
  const result = spawnSync(step.command, step.args, {
    env: { ...process.env, ...step.env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${result.stdout || ''}${result.stderr || ''}${result.error ? result.error.message : ''}`;
  return { ok: result.status === 0, output: output.slice(-4096) };
}

/**
 * Makes sure the packages a run over `specs` needs are there, installing them when it can.
 * Returns true when the run can go on; otherwise it has printed why and what to run.
 */
function ensureSystemPackages({
  packages = SYSTEM_PACKAGES, env = process.env, specs = [], find = (c) => findCommand(c, env),
  isRoot = typeof process.getuid === 'function' && process.getuid() === 0,
  hasAptGet = find('apt-get') !== null, run = runStep,
  log = (line) => console.log(line), error = (line) => console.error(line),
} = {}) {
  const missing = missingPackages({ packages, env, specs, find });
  const plan = decide({ missing, isRoot, hasAptGet });
  if (plan.action === 'none') return true;
  if (plan.action === 'fail') {
    error(plan.message);
    return false;
  }
  log(plan.announce);
  for (const step of plan.steps) {
    log(`  $ ${Object.entries(step.env).map(([k, v]) => `${k}=${v} `).join('')}${step.command} ${step.args.join(' ')}`);
    const { ok, output } = run(step);
    if (!ok) {
      error(`${output.trimEnd()}\n${step.command} ${step.args.join(' ')} failed; install the packages by hand:\n  ${installCommandLine(missing.map((p) => p.name), { isRoot })}`);
      return false;
    }
  }
  const still = missingPackages({ packages, env, specs, find });
  if (still.length > 0) {
    const commands = still.flatMap((p) => p.commands.filter((c) => !find(c)));
    error(`Installed, but still not found on PATH: ${commands.join(', ')}. Add their directory to PATH and run npm test again.`);
    return false;
  }
  log(`npm test: installed ${missing.map((p) => p.name).join(', ')}`);
  return true;
}

module.exports = {
  SYSTEM_PACKAGES, SBIN_DIRS, TEST_DATABASE_KINDS, testDatabaseKinds, mayRun, findCommand, missingPackages, decide,
  installCommandLine, ensureSystemPackages,
};

if (require.main === module) {
  process.exit(ensureSystemPackages({ specs: process.argv.slice(2) }) ? 0 : 2);
}
