// `node -r ./scripts/register-ts.js <file.ts>`: loads the project's TypeScript as ts-node's
// transpile-only mode with this project's transpiler does (scripts/ts-esbuild-transpiler.js: the
// same esbuild options), but keeps each file's output on disk under its content hash
// (node_modules/.cache/apitok-ts/): a process that loads files it has loaded before compiles
// nothing and loads neither ts-node nor TypeScript. That is ~1.3 s of CPU less for each node
// process the cluster suites, `npm run cluster` and the bench start, and for each mocha worker.
// `npm start` keeps ts-node (the README's command, whose errors the operator suites pin).
//
// A changed file has another hash, so nothing stale is ever loaded; the cache only grows (delete
// the folder to empty it). Writes go to a temporary file renamed into place: processes started
// together may compile the same file at once.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'apitok-ts');
const ESBUILD_VERSION = require('esbuild/package.json').version;
// What else the output depends on: the transpiler's options (its source) and the compiler options.
const SALT = crypto.createHash('sha256')
  .update(ESBUILD_VERSION)
  .update(fs.readFileSync(path.join(__dirname, 'ts-esbuild-transpiler.js')))
  .update(fs.readFileSync(path.join(ROOT, 'tsconfig.json')))
  .digest();

let transpiler = null;
/** The project's transpiler, made once, from the compiler options ts-node would read (lazily: a warm cache never needs it). */
function transpile(source, fileName) {
  if (!transpiler) {
    const ts = require('typescript');
    const configFile = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, ROOT);
    transpiler = require('./ts-esbuild-transpiler').create({ service: { config: { options } } });
  }
  const { outputText, sourceMapText } = transpiler.transpile(source, { fileName });
  // Inline, so that a stack trace names the TypeScript line (process.setSourceMapsEnabled below).
  const map = Buffer.from(sourceMapText, 'utf8').toString('base64');
  return `${outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '')}\n//# sourceMappingURL=data:application/json;base64,${map}\n`;
}

function compiled(fileName) {
  const source = fs.readFileSync(fileName, 'utf8');
  const key = crypto.createHash('sha256').update(SALT).update(fileName).update('\0').update(source).digest('hex');
  const cached = path.join(CACHE, key.slice(0, 2), `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not compiled yet
  }
  const output = transpile(source, fileName);
  try {
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    const temporary = `${cached}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    fs.writeFileSync(temporary, output);
    fs.renameSync(temporary, cached);
  } catch {
    // A read-only checkout still runs; it compiles again next time.
  }
  return output;
}

process.setSourceMapsEnabled(true);
Module._extensions['.ts'] = function loadTypeScript(module, fileName) {
  if (fileName.includes(`${path.sep}node_modules${path.sep}`)) throw new Error(`Not compiling TypeScript inside node_modules: ${fileName}`);
  module._compile(compiled(fileName), fileName);
};
