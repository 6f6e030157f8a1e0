// Every curl example of README.md and docs/ runs against a real started host (Jira on SQLite,
// with the example plugin of docs/plugin-development.md beside this one) and answers the HTTP
// status its `# → <status>` comment documents (conventions: shellBlocks.ts and README.md,
// "Examples in these docs"). Blocks marked `<!-- docs-test: not run — … -->` are counted and
// named, never silently left out.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startHost, type Host } from '../../../host-sim/testing';
import { documentationFiles, shellBlocks } from './shellBlocks';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const HELLO_PLUGIN = path.join(ROOT, 'examples', 'hello-plugin', 'atlassian-plugin.json');
/** The base URL the docs show (that of `npm start`); replaced by the test host's. */
const DOCUMENTED_BASE = 'http://localhost:2990/jira';

/**
 * Runs before every block: `curl` answers with its body as usual, records the status of each
 * call, and sets TOKEN and ID from a create answer (`plainTextToken` or `token`, and `id`).
 */
const PRELUDE = String.raw`
set -e -o pipefail
__calls=0
curl() {
  local body="$DOCS_TMP/body.$__calls" code token id
  __calls=$((__calls + 1))
  code=$(command curl -sS -o "$body" -w '%{http_code}' "$@") || return $?
  echo "$code" >> "$DOCS_TMP/statuses"
  token=$(sed -n 's/.*"\(plainTextToken\|token\)":"\([^"]*\)".*/\2/p' "$body")
  if [ -n "$token" ]; then
    TOKEN=$token
    id=$(sed -n 's/^{"id":"\{0,1\}\([A-Za-z0-9_]*\).*/\1/p' "$body")
    if [ -n "$id" ]; then ID=$id; fi
  fi
  cat "$body"; echo
}
`;

const blocks = shellBlocks(ROOT, documentationFiles(ROOT));

function runBash(script: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('curl examples of README.md and docs/', () => {
  let host: Host;
  let tmp: string;

  before(async function () {
    this.timeout(60_000);
    host = await startHost({ plugins: [HELLO_PLUGIN] });
    // The user the examples name besides admin, created as README.md ("Examples in these docs") says.
    const alice = await host.request('/rest/api/2/user', {
      method: 'POST', auth: ['admin', 'admin'],
      body: { name: 'alice', password: 'alice-pw', emailAddress: 'alice@example.com', displayName: 'Alice Example' },
    });
    expect(alice.status, 'README.md: creating alice').to.equal(201);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'docs-test-'));
  });

  after(async () => {
    await host?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('should find the examples, and name every block it does not run', () => {
    const notRun = blocks.filter((b) => b.notRun !== null);
    console.log(`      ${blocks.length} curl blocks: ${blocks.length - notRun.length} run, ${notRun.length} marked not run`);
    for (const b of notRun) console.log(`      not run: ${b.where} — ${b.notRun}`);
    expect(blocks.length - notRun.length).to.be.greaterThan(5);
  });

  for (const block of blocks.filter((b) => b.notRun === null)) {
    it(`should answer ${block.where} as documented`, async function () {
      this.timeout(60_000);
      expect(block.expected, `${block.where}: every curl command needs a "# → <status>" comment`).to.not.include(null);
      const dir = mkdtempSync(path.join(tmp, 'block-'));
      const script = path.join(dir, 'example.sh');
      writeFileSync(script, `${PRELUDE}\n${block.code.split(DOCUMENTED_BASE).join(host.url)}\n`);
      writeFileSync(path.join(dir, 'statuses'), '');
      // Asynchronously: the host answers the block's requests from this very process.
      const run = await runBash(script, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DOCS_TMP: dir });
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.status, `${block.where} exited ${run.status}:\n${output}`).to.equal(0);
      const statuses = readFileSync(path.join(dir, 'statuses'), 'utf8').split('\n').filter(Boolean).map(Number);
      expect(statuses, `${block.where} answered:\n${output}`).to.deep.equal(block.expected);
    });
  }
});
