/** What a job run is told. */
export interface JobContext {
  readonly jobKey: string;
  /** Host clock time at which the run started (epoch millis). */
  readonly startedAt: number;
}

export type JobRunner = (context: JobContext) => Promise<void>;

export interface JobSchedule {
  /** Interval between runs in milliseconds. */
  readonly intervalMs: number;
  /**
   * When true (the default), a run happens on one node only: the scheduler takes the
   * cluster lock `job:<jobKey>` first and skips the run when another node holds it or ran
   * the job less than `intervalMs` ago. When false, every node runs it (e.g. flushing
   * per-node memory).
   */
  readonly runOncePerCluster?: boolean;
}

/** The host's scheduler (SAL `PluginScheduler` / atlassian-scheduler). */
export interface Scheduler {
  schedule(jobKey: string, schedule: JobSchedule, runner: JobRunner): void;
  unschedule(jobKey: string): void;
  /**
   * Runs a scheduled job now (the dev toolbox uses this), honouring `runOncePerCluster`;
   * resolves to false when another node held the lock and the run was skipped.
   */
  runNow(jobKey: string): Promise<boolean>;
}
