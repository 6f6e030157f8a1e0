import type { RestrictionSupport } from './restrictions/RestrictionSupport';

/** Knobs of the composition root (tests and the restrictions integration use them). */
export interface PluginOptions {
  /** The restrictions adapter; default: the engine of plugin/restrictions ({@link NoRestrictionSupport} switches restrictions off, fail closed). */
  readonly restrictions?: RestrictionSupport;
  /** Failed token attempts per client IP and minute before 429 (default 100, or system property `apitokenauth.failedAttemptsPerMinute`). */
  readonly failedAttemptsPerMinute?: number;
  /** Audit queue flush interval (default 1000 ms). */
  readonly auditFlushIntervalMs?: number;
}
