// scripts/register-ts.js: the TypeScript loader of the node processes the suites start and of the
// mocha workers. It must load what ts-node loaded, never serve a file's old output after the file
// changed, and on a warm cache load neither ts-node nor TypeScript (its whole point).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER = path.join(ROOT, 'scripts', 'register-ts.js');

/** Runs `node -r register-ts.js -e <script>` in the repository; its stdout, or a failure naming stderr. */
function run(script: string): string {
  const result = spawnSync(process.execPath, ['-r', REGISTER, '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  expect(result.status, result.stderr).to.equal(0);
  return result.stdout.trim();
}

describe('register-ts (the suites\' TypeScript loader)', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-register-ts-'));
    file = path.join(dir, 'sample.ts');
  });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  const loadAndReport = (): { value: string; loadedCompiler: boolean; line: string } => JSON.parse(run(`
    const sample = require(${JSON.stringify(file)});
    const loadedCompiler = Object.keys(require.cache).some((k) => /[\\\\/]node_modules[\\\\/](typescript|ts-node)[\\\\/]/.test(k));
    let line = '';
    try { sample.fail(); } catch (err) { line = err.stack.split('\\n')[1]; }
    console.log(JSON.stringify({ value: sample.value(), loadedCompiler, line }));
  `));

  it('should load TypeScript with the project\'s semantics, compile it once, and map stack traces to the TypeScript lines', () => {
    fs.writeFileSync(file, [
      'import type { Server } from \'node:http\';',
      'function tag(_target: object, _key: string): void { /* a legacy decorator */ }',
      'class Counter { @tag count = 1; readonly name: string = \'c\'; }',
      'export const value = (): string => `${new Counter().count}:${new Counter().name}:${typeof ({} as Server | undefined)}`;',
      'export function fail(): never {',
      '  throw new Error(\'on line 6\');',
      '}',
      '',
    ].join('\n'));
    const first = loadAndReport();
    expect(first.value).to.equal('1:c:object');
    expect(first.line).to.include('sample.ts:6:');
    const second = loadAndReport();
    expect(second, 'from the cache').to.deep.equal({ ...first, loadedCompiler: false });
  });

  it('should compile a changed file again instead of loading its old output', () => {
    fs.writeFileSync(file, 'export const value = (): string => \'old\';\nexport function fail(): void { throw new Error(); }\n');
    expect(loadAndReport().value).to.equal('old');
    fs.writeFileSync(file, 'export const value = (): string => \'new\';\nexport function fail(): void { throw new Error(); }\n');
    expect(loadAndReport().value).to.equal('new');
  });
});
