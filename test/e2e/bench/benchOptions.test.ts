// `npm run bench` options through the real command: --help prints the usage and exits 0; every
// wrong option is one line of error plus the usage on stderr, exit code 2, no stack trace, and
// nothing is started. (The smoke test next door runs an actual benchmark.)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function bench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // A killed run (status null) would mean the options were accepted and a benchmark started.
  const run = spawnSync('npm', ['run', 'bench', '--', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000, killSignal: 'SIGKILL' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run bench: options', function () {
  this.timeout(120000);

  for (const help of ['--help', '-h']) {
    it(`should print the usage and exit 0 on ${help}`, () => {
      const run = bench(help);
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^Usage: npm run bench -- \[--quick \| --smoke\]/m);
      for (const option of ['--quick', '--smoke', '--soak', '--db WHICH', '--tokens N', '--out DIR', '-h, --help']) expect(run.stdout).to.contain(option);
      expect(run.stderr).to.equal('');
    });
  }

  const wrong: Array<[string[], RegExp]> = [
    [['--bogus'], /^bench: unknown option --bogus$/],
    [['--tokens', 'abc'], /^bench: --tokens abc: takes a whole number from 1 to 10,000,000$/],
    [['--tokens', '0'], /^bench: --tokens 0: /],
    [['--tokens=1e6'], /^bench: --tokens 1e6: /],
    [['--tokens'], /^bench: --tokens needs a value$/],
    [['--db', 'foo'], /^bench: --db foo: takes sqlite, mariadb, postgres, both or all$/],
    [['--db'], /^bench: --db needs a value$/],
    [['--quick', '--smoke'], /^bench: --quick and --smoke exclude each other$/],
    [['quick'], /^bench: unexpected argument quick$/],
    [['--out', 'package.json/results'], /^bench: --out package\.json\/results: .*package\.json is a file, not a folder$/],
  ];
  for (const [args, message] of wrong) {
    it(`should refuse ${args.join(' ')} with one line and the usage, exit code 2`, () => {
      const run = bench(...args);
      expect(run.status, `${run.stdout}\n${run.stderr}`).to.equal(2);
      const [first, blank, usage] = run.stderr.split('\n');
      expect(first).to.match(message);
      expect(blank).to.equal('');
      expect(usage).to.match(/^Usage: npm run bench -- /);
      expect(run.stderr).not.to.match(/^\s+at /m);
      expect(run.stdout).not.to.match(/host at|seeding|MariaDB/);
    });
  }
});
