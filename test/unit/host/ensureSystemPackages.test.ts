// The decision logic of `npm test`'s set-up (scripts/ensure-system-packages.js): which packages
// a run needs and lacks, and what it then does (install as root with apt-get, or print the
// command to run). The real apt-get is never called here: `run` records the steps.
import { expect } from 'chai';
import {
  SYSTEM_PACKAGES, decide, ensureSystemPackages, findCommand, mayRun, missingPackages, testDatabaseKinds, type Step,
} from '../../../scripts/ensure-system-packages';

const ALL_COMMANDS = SYSTEM_PACKAGES.flatMap((p) => p.commands);

/** A machine that has exactly `present` (plus apt-get when asked). */
function machine(present: readonly string[]): (command: string) => string | null {
  const set = new Set(present);
  return (command) => (set.has(command) ? `/usr/bin/${command}` : null);
}

function names(list: ReadonlyArray<{ name: string }>): string[] {
  return list.map((p) => p.name);
}

interface Outcome { ok: boolean; steps: Step[]; out: string[]; err: string[] }

function ensure(options: { present: readonly string[]; isRoot: boolean; hasAptGet?: boolean; specs?: string[]; env?: Record<string, string>; installs?: readonly string[]; aptFails?: boolean }): Outcome {
  const present = new Set(options.present);
  const steps: Step[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const ok = ensureSystemPackages({
    env: options.env ?? {},
    specs: options.specs ?? [],
    find: (c) => (present.has(c) ? `/usr/bin/${c}` : null),
    isRoot: options.isRoot,
    hasAptGet: options.hasAptGet ?? true,
    run: (step) => {
      steps.push(step);
      if (options.aptFails) return { ok: false, output: 'E: Unable to locate package chromium' };
      if (step.args[0] === 'install') for (const c of options.installs ?? ALL_COMMANDS) present.add(c);
      return { ok: true, output: '' };
    },
    log: (line) => out.push(line),
    error: (line) => err.push(line),
  });
  return { ok, steps, out, err };
}

describe('ensure-system-packages', () => {
  describe('missingPackages', () => {
    it('should report nothing on a machine that has every command', () => {
      expect(missingPackages({ env: {}, find: machine(ALL_COMMANDS) })).to.deep.equal([]);
    });

    it('should report every package on a bare machine', () => {
      expect(names(missingPackages({ env: {}, find: machine([]) }))).to.deep.equal(['mariadb-server', 'postgresql', 'chromium', 'curl', 'haproxy']);
    });

    it('should need PostgreSQL for the database suites unless TEST_PG_URL points at a server or TEST_DATABASES leaves it out', () => {
      const specs = ['test/contract/host/users.test.ts'];
      expect(names(missingPackages({ env: { TEST_DATABASES: 'postgres' }, specs, find: machine([]) }))).to.deep.equal(['postgresql']);
      expect(names(missingPackages({ env: { TEST_DATABASES: 'sqlite,mariadb' }, specs, find: machine([]) }))).to.deep.equal(['mariadb-server']);
      expect(names(missingPackages({ env: { TEST_PG_URL: 'postgres://u:p@127.0.0.1:5432/db' }, specs, find: machine([]) }))).to.deep.equal(['mariadb-server']);
    });

    it('should count a package as missing when only one of its commands is absent', () => {
      const present = ALL_COMMANDS.filter((c) => c !== 'mariadb-install-db');
      expect(names(missingPackages({ env: {}, find: machine(present) }))).to.deep.equal(['mariadb-server']);
    });

    it('should not need MariaDB when TEST_MYSQL_URL points at an existing server', () => {
      expect(names(missingPackages({ env: { TEST_MYSQL_URL: 'mysql://u:p@127.0.0.1:3306/db' }, find: machine([]) }))).to.deep.equal(['postgresql', 'chromium', 'curl', 'haproxy']);
    });

    it('should need chromium only when the run may include the browser suites', () => {
      const bare = machine([]);
      expect(names(missingPackages({ env: {}, specs: ['test/unit/host/config.test.ts'], find: bare }))).to.deep.equal(['mariadb-server', 'postgresql']);
      expect(names(missingPackages({ env: {}, specs: ['test/e2e/host/npmStart.test.ts'], find: bare }))).to.deep.equal(['mariadb-server', 'postgresql', 'curl']);
      expect(names(missingPackages({ env: {}, specs: ['test/e2e/ui/tokenPanel.test.ts'], find: bare }))).to.deep.equal(['mariadb-server', 'postgresql', 'chromium', 'curl']);
      expect(names(missingPackages({ env: {}, specs: ['test/e2e/**/*.test.ts'], find: bare }))).to.deep.equal(['mariadb-server', 'postgresql', 'chromium', 'curl', 'haproxy']);
      expect(names(missingPackages({ env: {}, specs: ['test/e2e/cluster/x.test.ts'], find: bare }))).to.deep.equal(['mariadb-server', 'postgresql', 'curl', 'haproxy']);
    });
  });

  describe('testDatabaseKinds', () => {
    it('should be every database by default, and only those TEST_DATABASES names, in a fixed order', () => {
      expect(testDatabaseKinds({})).to.deep.equal(['sqlite', 'mariadb', 'postgres']);
      expect(testDatabaseKinds({ TEST_DATABASES: ' postgres , sqlite ' })).to.deep.equal(['sqlite', 'postgres']);
      expect(() => testDatabaseKinds({ TEST_DATABASES: 'postgres,oracle' })).to.throw(/unknown databases: oracle/);
    });
  });

  describe('mayRun', () => {
    it('should match a folder by its specs, paths and globs', () => {
      expect(mayRun([], 'test/e2e/ui/')).to.equal(true);
      expect(mayRun(['./test/e2e/ui/x.test.ts'], 'test/e2e/ui/')).to.equal(true);
      expect(mayRun(['test/**/*.test.ts'], 'test/e2e/ui/')).to.equal(true);
      expect(mayRun(['test/e2e/host/x.test.ts', 'test/unit/y.test.ts'], 'test/e2e/ui/')).to.equal(false);
      expect(mayRun(['test/contract/**/*.test.ts'], 'test/e2e/')).to.equal(false);
    });
  });

  describe('decide', () => {
    const bare = missingPackages({ env: {}, find: machine([]) });

    it('should do nothing when nothing is missing', () => {
      expect(decide({ missing: [], isRoot: false, hasAptGet: false })).to.deep.equal({ action: 'none' });
    });

    it('should install as root with apt-get: one update, then one non-interactive install of every missing package', () => {
      const plan = decide({ missing: bare, isRoot: true, hasAptGet: true });
      expect(plan.action).to.equal('install');
      if (plan.action !== 'install') return;
      expect(plan.steps.map((s) => [s.command, s.args[0]])).to.deep.equal([['apt-get', 'update'], ['apt-get', 'install']]);
      expect(plan.steps[1].args).to.include.members(['-y', 'mariadb-server', 'chromium', 'curl']);
      expect(plan.steps[1].env).to.deep.equal({ DEBIAN_FRONTEND: 'noninteractive' });
      expect(plan.announce).to.contain('mariadb-server').and.contain('chromium').and.contain('curl');
    });

    it('should print the sudo command line when not root', () => {
      const plan = decide({ missing: bare.slice(1), isRoot: false, hasAptGet: true });
      expect(plan.action).to.equal('fail');
      if (plan.action !== 'fail') return;
      const lines = plan.message.split('\n').map((l) => l.trim());
      expect(lines).to.include('sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql chromium curl haproxy');
      expect(plan.message).to.contain('TEST_PG_URL').and.not.contain('TEST_MYSQL_URL');
    });

    it('should print the command line (without sudo) when root but apt-get is not there', () => {
      const plan = decide({ missing: bare.slice(0, 1), isRoot: true, hasAptGet: false });
      expect(plan.action).to.equal('fail');
      if (plan.action !== 'fail') return;
      expect(plan.message).to.contain('apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server');
      expect(plan.message).not.to.contain('sudo');
      expect(plan.message).to.contain('TEST_MYSQL_URL');
    });
  });

  describe('ensureSystemPackages', () => {
    it('should go on without a word when everything is there', () => {
      const r = ensure({ present: ALL_COMMANDS, isRoot: true });
      expect(r).to.deep.equal({ ok: true, steps: [], out: [], err: [] });
    });

    it('should say what it installs, run apt-get update once and install, then go on', () => {
      const r = ensure({ present: ['curl'], isRoot: true });
      expect(r.ok).to.equal(true);
      expect(r.steps.map((s) => `${s.command} ${s.args.filter((a) => !a.startsWith('-')).join(' ')}`)).to.deep.equal(['apt-get update', 'apt-get install mariadb-server postgresql chromium haproxy']);
      expect(r.out[0]).to.contain('installing').and.contain('mariadb-server').and.contain('chromium');
      expect(r.err).to.deep.equal([]);
    });

    it('should stop with the command line and run nothing when not root', () => {
      const r = ensure({ present: [], isRoot: false });
      expect(r.ok).to.equal(false);
      expect(r.steps).to.deep.equal([]);
      expect(r.err.join('\n')).to.contain('sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server postgresql chromium curl haproxy');
    });

    it('should stop with apt-get\'s output and the command line when the installation fails', () => {
      const r = ensure({ present: [], isRoot: true, aptFails: true });
      expect(r.ok).to.equal(false);
      expect(r.steps).to.have.length(1);
      expect(r.err.join('\n')).to.contain('Unable to locate package').and.contain('apt-get install -y mariadb-server postgresql chromium curl haproxy');
    });

    it('should stop when a command is still not found after the installation', () => {
      const r = ensure({ present: [], isRoot: true, installs: ['curl', 'chromium'] });
      expect(r.ok).to.equal(false);
      expect(r.err.join('\n')).to.contain('mariadbd');
    });
  });

  describe('findCommand', () => {
    it('should find an executable on PATH and nothing outside it but the sbin directories', () => {
      expect(findCommand('node', { PATH: process.execPath.replace(/\/node$/, '') })).to.equal(process.execPath);
      expect(findCommand('node', { PATH: '/nonexistent' })).to.equal(null);
    });
  });
});
