// A start refused after the host had begun (a plugin's system property it cannot use, the default
// admin password beyond the loopback) printed its `Cannot start: …` line before the log lines
// still buffered: at the default level a newcomer read the verdict followed by
// "INFO [HostRuntime] Host runtime started" and could not tell whether it ran (found by the
// newcomer walkthrough, 2026-12-05). The log is written out first; the verdict is the last line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { runStartCommand } from '../../support/childProcess';

describe('npm start: a refused start ends with its Cannot start line', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-last-line-')); });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const cases: Array<[string, Record<string, string>, string]> = [
    ['a system property the plugin cannot use', { HOSTSIM_SYSPROPS: 'apitokenauth.secure.mode=ture' }, 'Cannot start: apitokenauth.secure.mode=ture: '],
    ['the default admin password beyond the loopback', { BIND_ADDRESS: '0.0.0.0' }, 'Cannot start: BIND_ADDRESS=0.0.0.0: '],
  ];
  for (const [name, env, verdict] of cases) {
    it(`should print the log first and the verdict last at the default log level: ${name}`, async () => {
      const outcome = await runStartCommand({ DATA_DIR: path.join(tmp, 'data'), PORT: '0', ...env });
      expect(outcome.code, outcome.stderr).to.equal(1);
      const lines = outcome.stderr.trimEnd().split('\n');
      expect(lines.filter((l) => l.startsWith('Cannot start: ')), outcome.stderr).to.have.length(1);
      expect(lines[lines.length - 1], outcome.stderr).to.satisfy((l: string) => l.startsWith(verdict));
    });
  }
});
