// `npm run cluster` (scripts/cluster.js): a database, the nodes and HAProxy on free ports, the URL
// printed, everything stopped and removed on SIGTERM; options checked before anything starts.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ADMIN, until } from '../../support/cluster';
import { ROOT, sendRequest } from '../../support/hostServer';

const SCRIPT = path.join(ROOT, 'scripts', 'cluster.js');

describe('npm run cluster', function () {
  this.timeout(150_000);

  it('should refuse SQLite and unknown options with the usage, before starting anything', () => {
    const sqlite = spawnSync(process.execPath, [SCRIPT, '--db', 'sqlite'], { encoding: 'utf8' });
    expect(sqlite.status).to.equal(2);
    expect(sqlite.stderr).to.match(/--db sqlite is not a cluster/).and.match(/Usage: npm run cluster/);
    const unknown = spawnSync(process.execPath, [SCRIPT, '--nodes', '9'], { encoding: 'utf8' });
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr).to.match(/--nodes must be a whole number from 2 to 5/);
  });

  it('should start PostgreSQL, two nodes and HAProxy, balance token calls over both, and stop everything on SIGTERM', async () => {
    const child = spawn(process.execPath, [SCRIPT, '--db', 'postgres', '--nodes', '2'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await until(() => /is running at (http:\/\/127\.0\.0\.1:\d+\/jira)/.exec(out)?.[1] ?? null, 120_000, 200)
        .catch((err: Error) => { throw new Error(`${err.message}\n${out}`); });
      const dir = /\(log (\S+)\/node1\.log\)/.exec(out)?.[1] ?? '';
      expect(fs.existsSync(dir), dir).to.equal(true);
      // Each node's pid is printed, for the `kill -9` the output suggests: a live process of its own.
      const pids = [...out.matchAll(/^ {2}node\d +http:\/\/127\.0\.0\.1:\d+\/jira +pid (\d+) /gm)].map((m) => Number(m[1]));
      expect(pids, out).to.have.length(2);
      for (const pid of pids) expect(() => process.kill(pid, 0), `pid ${pid}`).to.not.throw();
      expect(new Set(pids).size).to.equal(2);
      const created = await sendRequest(`${url}/rest/de.resolution.apitokenauth/latest/user/token`, {
        method: 'POST', auth: ADMIN, body: { tokenDescription: 'npm run cluster', tokenValidityTimeInMonths: 1 },
      });
      expect(created.status, created.text).to.equal(200);
      const servedBy = new Set<string>();
      for (let i = 0; i < 4; i++) {
        const res = await sendRequest(`${url}/rest/api/2/myself`, { bearer: String(created.json.plainTextToken) });
        expect(res.status).to.equal(200);
        servedBy.add(String(res.headers.get('x-served-by')));
      }
      expect([...servedBy].sort()).to.deep.equal(['node1', 'node2']);
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      expect(out).to.match(/SIGTERM: stopping the balancer, the nodes and the database/);
      expect(fs.existsSync(dir), `${dir} removed`).to.equal(false);
      expect((await sendRequest(`${url}/status`).then((r) => r.status, () => 0))).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
