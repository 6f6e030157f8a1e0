// `npm run bench` options: --help prints the usage and exits 0; every wrong option is one line of
// error plus the usage on stderr, exit code 2, no stack trace, and nothing is started. The command
// itself runs for --help and for a refusal of each kind (each run costs a node and an npm start,
// ~1 s); every other wrong option is refused by the same parser in this process, with the message
// the command prints after `bench: `. (The smoke test next door runs an actual benchmark.)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';

const { parseBenchArgs, BenchUsageError } = require('../../../bench/lib/options') as {
  parseBenchArgs(argv: string[]): unknown;
  BenchUsageError: new (message: string) => Error;
};

const ROOT = path.resolve(__dirname, '..', '..', '..');

function bench(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  // A killed run (status null) would mean the options were accepted and a benchmark started.
  const run = spawnSync('npm', ['run', 'bench', '--', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000, killSignal: 'SIGKILL' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run bench: options', function () {
  this.timeout(120000);

  it('should read -h as --help', () => {
    expect(parseBenchArgs(['-h'])).to.deep.include({ help: true });
  });
  for (const help of ['--help']) {
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
  // Through the command: an unknown option, a wrong value, and a check of the file system.
  const throughCommand = new Set(['--bogus', '--tokens abc', '--out package.json/results']);
  for (const [args, message] of wrong.filter(([a]) => !throughCommand.has(a.join(' ')))) {
    it(`should refuse ${args.join(' ')} with one line naming it`, () => {
      let thrown: unknown;
      try {
        parseBenchArgs(args);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).to.be.instanceOf(BenchUsageError);
      expect(`bench: ${(thrown as Error).message}`).to.match(message).and.not.include('\n');
    });
  }
  for (const [args, message] of wrong.filter(([a]) => throughCommand.has(a.join(' ')))) {
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
