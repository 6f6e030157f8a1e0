// Interval jobs. A cluster-wide job takes the lock `job:<jobKey>` and checks the recorded last
// run, so that nodes whose timers fire at nearly the same moment run it once per interval.
import type { Logger } from 'winston';
import type { Clock } from '../../spi/Clock';
import type { JobRunner, JobSchedule } from '../../spi/Scheduler';
import { HostError } from '../HostError';
import type { HostScheduler } from '../HostRuntime';
import type { DefaultClusterLockService } from './DefaultClusterLockService';

// A run counts as "this interval's" when the last one is at least this fraction of the
// interval old; timers of different nodes drift by a few milliseconds, never by 20%.
const SAME_INTERVAL_FRACTION = 0.8;
/** The shortest job-lock lease: a node that dies while running a job blocks it this long at most. */
export const DEFAULT_MIN_JOB_LEASE_MS = 30_000;
const MAX_JOB_LEASE_MS = 15 * 60_000;

/**
 * The lease of a cluster-wide job's lock: twice its interval, at least `minLeaseMs` (so a run
 * longer than its interval keeps its lock), at most 15 minutes.
 */
export function jobLeaseMs(intervalMs: number, minLeaseMs = DEFAULT_MIN_JOB_LEASE_MS): number {
  return Math.min(Math.max(intervalMs * 2, minLeaseMs), MAX_JOB_LEASE_MS);
}

interface Job {
  readonly key: string;
  readonly schedule: JobSchedule;
  readonly runner: JobRunner;
  readonly timer: NodeJS.Timeout;
  running: Promise<boolean> | null;
}

export class DefaultHostScheduler implements HostScheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly inFlight = new Set<Promise<boolean>>();

  constructor(
    private readonly locks: DefaultClusterLockService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** System property `hostsim.scheduler.minLeaseMs` (tests shorten it to see a dead holder's lease expire). */
    private readonly minLeaseMs = DEFAULT_MIN_JOB_LEASE_MS,
  ) {}

  schedule(jobKey: string, schedule: JobSchedule, runner: JobRunner): void {
    if (!Number.isFinite(schedule.intervalMs) || schedule.intervalMs <= 0) {
      throw new HostError('INVALID_INPUT', `Job ${jobKey} needs a positive intervalMs`);
    }
    this.unschedule(jobKey);
    const timer = setInterval(() => {
      const job = this.jobs.get(jobKey);
      if (job) void this.start(job, true).catch(() => undefined);
    }, schedule.intervalMs);
    timer.unref();
    this.jobs.set(jobKey, { key: jobKey, schedule, runner, timer, running: null });
  }

  unschedule(jobKey: string): void {
    const job = this.jobs.get(jobKey);
    if (!job) return;
    clearInterval(job.timer);
    this.jobs.delete(jobKey);
  }

  async runNow(jobKey: string): Promise<boolean> {
    const job = this.jobs.get(jobKey);
    if (!job) throw new HostError('JOB_NOT_FOUND', `No job ${jobKey} is scheduled`);
    return this.start(job, false);
  }

  jobKeys(): string[] {
    return [...this.jobs.keys()].sort();
  }

  unscheduleByPrefix(prefix: string): void {
    for (const key of [...this.jobs.keys()]) if (key.startsWith(prefix)) this.unschedule(key);
  }

  stopAll(): void {
    for (const key of [...this.jobs.keys()]) this.unschedule(key);
  }

  /** Resolves when every run that has started has finished. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private start(job: Job, scheduled: boolean): Promise<boolean> {
    if (job.running) {
      // Never overlap runs of one job on one node; a manual run waits for the current one.
      return scheduled ? Promise.resolve(false) : job.running.then(() => this.start(job, false));
    }
    const run = this.execute(job, scheduled);
    job.running = run;
    this.inFlight.add(run);
    const done = () => {
      job.running = null;
      this.inFlight.delete(run);
    };
    run.then(done, done);
    return run;
  }

  private async execute(job: Job, scheduled: boolean): Promise<boolean> {
    const once = job.schedule.runOncePerCluster ?? true;
    if (!once) {
      await this.invoke(job, scheduled);
      return true;
    }
    const lockName = `job:${job.key}`;
    const lease = jobLeaseMs(job.schedule.intervalMs, this.minLeaseMs);
    let lock;
    try {
      lock = await this.locks.tryLock(lockName, lease);
    } catch (err) {
      this.logger.warn('Job lock unavailable; run skipped', { jobKey: job.key, error: String((err as Error)?.message ?? err) });
      if (!scheduled) throw err;
      return false;
    }
    if (!lock) return false;
    try {
      const now = Date.now();
      if (scheduled && now - (await this.locks.lastRun(lockName)) < job.schedule.intervalMs * SAME_INTERVAL_FRACTION) {
        return false;
      }
      await this.locks.recordRun(lockName, now);
      await this.invoke(job, scheduled);
      return true;
    } finally {
      await lock.unlock().catch(() => undefined);
    }
  }

  private async invoke(job: Job, scheduled: boolean): Promise<void> {
    try {
      await job.runner({ jobKey: job.key, startedAt: this.clock.now() });
    } catch (err) {
      this.logger.error('Job failed', { jobKey: job.key, error: String((err as Error)?.message ?? err) });
      if (!scheduled) throw err;
    }
  }
}
