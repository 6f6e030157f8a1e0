// What the host reads from DATA_DIR decides its security: host.properties can switch websudo off
// (hostsim.websudo.disabled), trust every address as a proxy (hostsim.trusted.proxies, so any
// client names its own IP to the allowlists) or secure mode off, and the SQLite file holds the
// users and the tokens. The host read them from a folder every local user could write to (as an
// earlier version created DATA_DIR under umask 000), so any of them could plant that file or
// swap the database (secure-defaults review, 2026-12-05). Such a folder or file now stops the start.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { runStartCommand, type StartOutcome } from '../../support/childProcess';
import { TEST_PLUGIN_DESCRIPTOR } from '../../support/hostServer';

/** npm start on `env`, killed once it runs: these starts should have been refused. */
function runStart(env: Record<string, string>): Promise<StartOutcome> {
  return runStartCommand({ LOG_LEVEL: 'warn', PORT: '0', PLUGIN_DESCRIPTORS: TEST_PLUGIN_DESCRIPTOR, ...env }, { untilRunning: true });
}

describe('npm start refuses a data folder or file that other users can write to', function () {
  this.timeout(60000);
  let parent: string;
  let dataDir: string;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-o-w-'));
    dataDir = path.join(parent, 'data');
    fs.mkdirSync(dataDir, { mode: 0o700 });
  });
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  const cases: ReadonlyArray<[string, () => string]> = [
    ['DATA_DIR itself (0777)', () => { fs.chmodSync(dataDir, 0o777); return dataDir; }],
    ['DATA_DIR with the sticky bit (1777: others still add a missing host.properties)', () => { fs.chmodSync(dataDir, 0o1777); return dataDir; }],
    ['host.properties (0666)', () => {
      const file = path.join(dataDir, 'host.properties');
      fs.writeFileSync(file, 'hostsim.websudo.disabled=true\n');
      fs.chmodSync(file, 0o666);
      return file;
    }],
    ['the SQLite file (0666)', () => {
      const file = path.join(dataDir, 'jira.db');
      fs.writeFileSync(file, '');
      fs.chmodSync(file, 0o666);
      return file;
    }],
  ];
  for (const [what, prepare] of cases) {
    it(`should stop with one line naming DATA_DIR and the fix when others may write ${what}`, async () => {
      const file = prepare();
      const outcome = await runStart({ DATA_DIR: dataDir });
      expect(outcome.code, outcome.stdout + outcome.stderr).to.equal(1);
      expect(outcome.stdout).to.equal('');
      expect(outcome.stderr.trimEnd().split('\n'), outcome.stderr).to.have.length(1);
      expect(outcome.stderr).to.match(/^Cannot start: (DATA_DIR|DB_URL)=/);
      expect(outcome.stderr).to.include(file).and.to.include('chmod o-w');
    });
  }

  it('should start from a folder only its user may write to, also when group and others may read it', async () => {
    fs.chmodSync(dataDir, 0o755);
    const outcome = await runStart({ DATA_DIR: dataDir });
    expect(outcome.stdout, outcome.stderr).to.include('running at');
  });
});
