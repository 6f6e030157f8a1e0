// Command-line options of `npm run bench`, parsed with node:util parseArgs and checked one by
// one: a wrong option is one line of error plus the usage (exit 2, see run.js), never a stack.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const DATABASES = ['sqlite', 'mariadb', 'postgres', 'both', 'all'];
/** What each --db value runs, in order. */
const DATABASE_SETS = { sqlite: ['sqlite'], mariadb: ['mariadb'], postgres: ['postgres'], both: ['sqlite', 'mariadb'], all: ['sqlite', 'mariadb', 'postgres'] };
const MAX_TOKENS = 10_000_000;
const DEFAULT_OUT = path.join(__dirname, '..', 'results');

const OPTIONS = {
  quick: { type: 'boolean' },
  smoke: { type: 'boolean' },
  soak: { type: 'boolean' },
  'no-scale': { type: 'boolean' },
  db: { type: 'string' },
  tokens: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** A wrong command line; its message is one line. */
class BenchUsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

function count(n) {
  return n.toLocaleString('en-US');
}

/** The help text; `profiles` are run.js's profiles, so the numbers shown are the ones used. */
function usage(profiles) {
  const { quick, full, smoke } = profiles;
  return [
    'Usage: npm run bench -- [--quick | --smoke] [--soak] [--no-scale] [--db sqlite|mariadb|postgres|both|all] [--tokens N] [--out DIR]',
    '',
    'Starts the product as its own process on each database, drives it with autocannon and writes',
    'JSON and Markdown results (method and bars: bench/README.md).',
    '',
    'Options:',
    `  --quick         quick profile: ${quick.forks} forks × ${quick.rounds} rounds, ${count(quick.bulkTokens)} stored tokens`,
    `  --smoke         a few seconds, checks every part runs (${count(smoke.bulkTokens)} stored tokens)`,
    `                  without --quick or --smoke: the full profile, ${full.forks} forks × ${full.rounds} rounds, ${count(full.bulkTokens)} stored tokens`,
    '  --soak          add a 5-minute memory soak after each database',
    '  --no-scale      skip the many-token scenarios (spread, cold node, unknown-token flood)',
    '  --db WHICH      sqlite, mariadb, postgres, both (SQLite and MariaDB) or all three (default: both)',
    `  --tokens N      stored tokens for the at-scale phase, 1 to ${count(MAX_TOKENS)} (default: the profile's)`,
    '  --out DIR       where the results go (default: bench/results)',
    '  -h, --help      print this help and exit',
    '',
  ].join('\n');
}

/** node's parseArgs errors, in one short line. */
function parseError(err) {
  const option = /'(-[^' ]+)/.exec(err.message)?.[1];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return `unknown option ${option ?? err.message.split('\n')[0]}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': return option ? `${option} needs a value` : err.message.split('\n')[0];
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return `unexpected argument ${/'([^']*)'/.exec(err.message)?.[1] ?? ''}`.trim();
    default: return err.message.split('\n')[0];
  }
}

function checkOut(raw) {
  if (raw.trim() === '') throw new BenchUsageError('--out needs a folder');
  const out = path.resolve(raw);
  let existing = out;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  if (!fs.statSync(existing).isDirectory()) throw new BenchUsageError(`--out ${raw}: ${existing} is a file, not a folder`);
  return out;
}

/**
 * Parses `argv` (without node and the script). Returns `{ help: true }` or
 * `{ help: false, mode, soak, db, tokens, out }`; throws BenchUsageError for a wrong command line.
 */
function parseBenchArgs(argv) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    if (typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) throw new BenchUsageError(parseError(err));
    throw err;
  }
  if (values.help) return { help: true };
  if (values.quick && values.smoke) throw new BenchUsageError('--quick and --smoke exclude each other');
  const db = values.db ?? 'both';
  if (!DATABASES.includes(db)) throw new BenchUsageError(`--db ${db}: takes sqlite, mariadb, postgres, both or all`);
  let tokens = null;
  if (values.tokens !== undefined) {
    tokens = /^\d+$/.test(values.tokens) ? Number(values.tokens) : NaN;
    if (!(tokens >= 1 && tokens <= MAX_TOKENS)) throw new BenchUsageError(`--tokens ${values.tokens}: takes a whole number from 1 to ${count(MAX_TOKENS)}`);
  }
  return {
    help: false,
    mode: values.quick ? 'quick' : values.smoke ? 'smoke' : 'full',
    soak: Boolean(values.soak),
    scale: !values['no-scale'],
    db,
    tokens,
    out: values.out === undefined ? DEFAULT_OUT : checkOut(values.out),
  };
}

module.exports = { parseBenchArgs, usage, BenchUsageError, MAX_TOKENS, DATABASE_SETS };
