// Keeps `npm run bench` from rotting: a few-second smoke run end to end (host process,
// autocannon, seeder, report), asserting that every part produced figures — no thresholds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('npm run bench (smoke)', function () {
  // Generous: npm test runs other files beside it (the run takes ~100 s alone on two cores).
  this.timeout(600_000);

  it('should measure every scenario, seed, query tokensByFilter (filters and every sort order) and write JSON and Markdown', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-bench-smoke-'));
    // Its own temporary folder: a run that ends well leaves nothing in it (a run at 1,000,000
    // tokens left a 1.2 GB database and a 100 MB host log behind, every time).
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-bench-smoke-tmp-'));
    try {
      const run = spawnSync(process.execPath, ['bench/run.js', '--smoke', '--db', 'sqlite', '--out', out],
        { cwd: ROOT, encoding: 'utf8', timeout: 590_000, env: { ...process.env, TMPDIR: tmp } });
      expect(run.status, `${run.stdout}\n${run.stderr}`).to.equal(0);
      expect(fs.readdirSync(tmp).filter((f) => f.startsWith('apitok-bench')), 'left in the temporary folder').to.deep.equal([]);
      const json = fs.readdirSync(out).find((f) => f.endsWith('-smoke.json'));
      expect(json).to.be.a('string');
      const results = JSON.parse(fs.readFileSync(path.join(out, json as string), 'utf8'));
      const db = results.databases[0];
      expect(db.database).to.equal('sqlite');
      for (const key of ['anonymous', 'password', 'tokenBasic', 'tokenBearer', 'tokenBearerServerInfo', 'unrestrictedPut', 'restrictedPut']) {
        expect(db.scenarios[key].rps, `${key}\n${run.stdout.slice(-4000)}`).to.be.greaterThan(0);
        // The statuses it saw, and the run's log (each round's line names them too).
        expect(db.scenarios[key].non2xx, `${key}: ${JSON.stringify(db.scenarios[key].statusCodes)}, ${db.scenarios[key].errors} errors\n${run.stdout.slice(-4000)}`).to.equal(0);
      }
      expect(db.scenarios.tokenBearer.writesPerRequest).to.be.a('number');
      expect(db.latency.tokenBearer.p99).to.be.greaterThan(0);
      expect(db.seed.tokens).to.equal(2000);
      expect(Object.keys(db.tokensByFilter)).to.have.length(4);
      // Sort at N tokens: the first page of each of the five sort keys, ascending and descending.
      expect(Object.keys(db.tokensByFilterSort)).to.have.length(10);
      for (const [order, v] of Object.entries(db.tokensByFilterSort as Record<string, { p95: number }>)) expect(v.p95, order).to.be.greaterThan(0);
      expect(results.bars.filter((b: { bar: string }) => b.bar.startsWith('tokensByFilter first page sorted by'))).to.have.length(10);
      expect(results.bars.length).to.be.greaterThan(10);
      // Memory per active token (issue 14): the cache's estimate per credential and the measured RSS growth per token.
      expect(db.scale.spread).to.have.length.greaterThan(0);
      for (const spread of db.scale.spread as Array<{ tokens: number; credentialBytes: number; rssPerWarmToken: number }>) {
        expect(spread.credentialBytes, `${spread.tokens}`).to.be.within(300, 2000);
        expect(spread.rssPerWarmToken, `${spread.tokens}`).to.be.a('number').and.satisfy(Number.isFinite);
      }
      const markdown = fs.readFileSync(path.join(out, 'latest-smoke.md'), 'utf8');
      expect(markdown).to.include('## Bars (bench/README.md)');
      expect(markdown).to.match(/\| spread over \| cache estimate per credential \| RSS growth per token/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
