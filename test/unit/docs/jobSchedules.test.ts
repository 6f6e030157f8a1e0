// docs/jobs-and-mail.md names each job of the plugin with when and where it runs, and
// docs/data-center.md flushes last access "at most every 60 s" on each node. The descriptor's
// `intervalMs` and `runOncePerCluster` were pinned nowhere: a prune job made per-node, an expiry
// check made daily or a flush stretched to ten minutes passed every suite (the jobs' tests run
// them through the dev toolbox, not by their schedule).
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';

const ROOT = path.resolve(__dirname, '../../..');

interface JobModule { type: string; key: string; intervalMs: number; runOncePerCluster?: boolean }

function jobsOfDescriptor(): Map<string, { intervalMs: number; oncePerCluster: boolean }> {
  const descriptor = JSON.parse(fs.readFileSync(path.join(ROOT, 'atlassian-plugin.json'), 'utf8')) as { modules: JobModule[] };
  return new Map(descriptor.modules.filter((m) => m.type === 'job')
    .map((m) => [m.key, { intervalMs: m.intervalMs, oncePerCluster: m.runOncePerCluster ?? true }]));
}

const INTERVALS: Record<string, number> = { hourly: 3_600_000, daily: 86_400_000 };

/** The table of docs/jobs-and-mail.md: job key → interval and where it runs, as the "runs" column says. */
function jobsOfDocs(): Map<string, { intervalMs: number; oncePerCluster: boolean }> {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/jobs-and-mail.md'), 'utf8');
  const jobs = new Map<string, { intervalMs: number; oncePerCluster: boolean }>();
  for (const m of doc.matchAll(/^\| `([a-z-]+-job)` \| ([^|]+) \|/gm)) {
    const [when, where] = m[2].split(',').map((s) => s.trim());
    const seconds = /^every (\d+) s$/.exec(when);
    const intervalMs = seconds ? Number(seconds[1]) * 1000 : INTERVALS[when];
    expect(intervalMs, `${m[1]}: "${when}"`).to.be.a('number');
    expect(where, m[1]).to.be.oneOf(['once per cluster', 'on every node']);
    jobs.set(m[1], { intervalMs, oncePerCluster: where === 'once per cluster' });
  }
  return jobs;
}

describe('Job schedules of atlassian-plugin.json', () => {
  it('should run each job of docs/jobs-and-mail.md as often and where its table says', () => {
    const documented = jobsOfDocs();
    expect([...documented.keys()].sort()).to.deep.equal(['expiry-warning-job', 'new-ip-alert-job', 'token-prune-job']);
    const declared = jobsOfDescriptor();
    for (const [key, expected] of documented) expect(declared.get(key), key).to.deep.equal(expected);
  });

  it('should flush last access on every node at least once a minute, and declare no job the docs do not name', () => {
    const declared = jobsOfDescriptor();
    const flush = declared.get('last-access-flush-job');
    expect(flush?.oncePerCluster, 'per node: each node flushes what it collected').to.equal(false);
    expect(flush?.intervalMs).to.be.a('number').and.at.most(60_000);
    expect([...declared.keys()].sort()).to.deep.equal(['expiry-warning-job', 'last-access-flush-job', 'new-ip-alert-job', 'token-prune-job']);
  });
});
