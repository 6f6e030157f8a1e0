// Finds the shell examples of the documentation: every ```sh block with a curl command in
// README.md and docs/**/*.md, the HTTP status each curl command is documented to answer, and
// the blocks marked as not runnable. The conventions (also in README.md, "Examples in these docs"):
//
// - A curl command's documented answer is a comment `# → <status>` (optionally followed by the
//   body or a remark), on the command's last line or on the comment lines right after it.
// - `$TOKEN` and `$ID` are the `plainTextToken` (or `token`) and `id` of the token created last
//   in the same block; the docs test sets them from each create answer, readers copy them.
// - `http://localhost:2990/jira` is the base URL of `npm start`; the test puts its host's there.
// - A block that cannot run against a simulated host is preceded by the line
//   `<!-- docs-test: not run — <reason> -->`; the test counts and lists those.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ShellBlock {
  /** `README.md:24` (the line of the opening fence). */
  readonly where: string;
  readonly code: string;
  /** The documented status of each curl command, in order (null: none documented). */
  readonly expected: ReadonlyArray<number | null>;
  /** Why the block is not run, when it is marked so. */
  readonly notRun: string | null;
}

const FENCE = /^```sh\s*$/;
const NOT_RUN = /^<!--\s*docs-test:\s*not run\s*[—-]\s*(.+?)\s*-->\s*$/;
const STATUS = /→\s*(\d{3})\b/;

/** The Markdown files the docs test reads: README.md and everything under docs/. */
export function documentationFiles(root: string): string[] {
  const files = ['README.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) files.push(rel);
    }
  };
  walk('docs');
  return files.sort();
}

/** Splits a line into its code and its comment (`#` after whitespace, outside quotes). */
function splitComment(line: string, inQuote: { single: boolean; double: boolean }): { code: string; comment: string | null } {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" && !inQuote.double) inQuote.single = !inQuote.single;
    else if (c === '"' && !inQuote.single && line[i - 1] !== '\\') inQuote.double = !inQuote.double;
    else if (c === '#' && !inQuote.single && !inQuote.double && (i === 0 || /\s/.test(line[i - 1]))) {
      return { code: line.slice(0, i), comment: line.slice(i) };
    }
  }
  return { code: line, comment: null };
}

/** The documented status of every curl command of a block, in order. */
export function expectedStatuses(code: string): Array<number | null> {
  const expected: Array<number | null> = [];
  const quote = { single: false, double: false };
  let continued = false;
  for (const line of code.split('\n')) {
    const startsCommand = !continued && !quote.single && !quote.double;
    const { code: part, comment } = splitComment(line, quote);
    if (startsCommand && /(^|\$\(|\s)curl\s/.test(part)) expected.push(null);
    const status = comment ? STATUS.exec(comment) : null;
    if (status && expected.length > 0 && expected[expected.length - 1] === null) expected[expected.length - 1] = Number(status[1]);
    continued = /\\\s*$/.test(part);
  }
  return expected;
}

/** Every ```sh block with a curl command in the given files (paths relative to `root`). */
export function shellBlocks(root: string, files: readonly string[]): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  for (const file of files) {
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!FENCE.test(lines[i])) continue;
      const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
      if (end < 0) break;
      const code = lines.slice(i + 1, end).join('\n');
      const marker = i > 0 ? NOT_RUN.exec(lines[i - 1]) ?? (i > 1 && lines[i - 1].trim() === '' ? NOT_RUN.exec(lines[i - 2]) : null) : null;
      if (/(^|\s|\$\()curl\s/m.test(code)) {
        blocks.push({ where: `${file}:${i + 1}`, code, expected: expectedStatuses(code), notRun: marker ? marker[1] : null });
      }
      i = end;
    }
  }
  return blocks;
}
