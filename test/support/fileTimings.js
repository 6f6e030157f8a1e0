// A mocha root-hook plugin that test/run-all.js loads: it appends `{"file", "ms", "tests"}` (one
// JSON line per test file) to TEST_TIMINGS_FILE, from which run-all prints the slowest files.
// In a parallel run root hooks run once per file, so a file's time is exactly its run, hooks
// included; in a serial run a file's time starts where the previous file's last test ended (its
// `before` hooks included, the previous file's `after` hooks too).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
let rows = [];
let current = null; // { file, start, tests }
let lastEnd = 0;

function close(at) {
  if (current) rows.push({ file: path.relative(ROOT, current.file), ms: at - current.start, tests: current.tests });
  current = null;
}

exports.mochaHooks = {
  beforeAll() {
    rows = [];
    current = null;
    lastEnd = Date.now();
  },
  beforeEach() {
    const file = this.currentTest && this.currentTest.file;
    if (!file || (current && current.file === file)) return;
    close(lastEnd);
    current = { file, start: lastEnd, tests: 0 };
  },
  afterEach() {
    if (current) current.tests++;
    lastEnd = Date.now();
  },
  afterAll() {
    close(Date.now());
    const out = process.env.TEST_TIMINGS_FILE;
    if (out && rows.length) fs.appendFileSync(out, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    rows = [];
  },
};
