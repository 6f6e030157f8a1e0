// The docs test's reading of the Markdown (test/e2e/docs/shellBlocks.ts): which blocks it runs,
// which it counts as not run, and which status each curl command is documented to answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { expectedStatuses, shellBlocks } from '../../e2e/docs/shellBlocks';

describe('shellBlocks', () => {
  it('should give each curl command the status of its own "# → <status>" comment, across continuations and quoted lines', () => {
    const code = [
      'BASE=http://localhost:2990/jira',
      "curl -s -u admin:admin \"$BASE/x\" -d '{",
      '  "a": "# not a comment", "b": 2',
      "}'",
      '# → 200 {"id": 1}',
      'curl -s "$BASE/y" \\',
      '  -H \'X: y\'   # → 403',
      'curl -s "$BASE/z"',
      '# → {"no": "status"}',
    ].join('\n');
    expect(expectedStatuses(code)).to.deep.equal([200, 403, null]);
  });

  it('should find sh blocks with curl only, and name those marked as not run', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'shell-blocks-'));
    try {
      writeFileSync(path.join(root, 'a.md'), [
        '```sh', 'npm start', '```',
        '```json', '{"code": "curl -s x"}', '```',
        '```sh', 'curl -s http://localhost:2990/jira/status   # → 200', '```',
        '<!-- docs-test: not run — needs a real Jira -->', '```sh', 'curl -s https://jira.example.com   # → 200', '```',
      ].join('\n'));
      const blocks = shellBlocks(root, ['a.md']);
      expect(blocks.map((b) => [b.where, b.expected, b.notRun])).to.deep.equal([
        ['a.md:7', [200], null],
        ['a.md:11', [200], 'needs a real Jira'],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
