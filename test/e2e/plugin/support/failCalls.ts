// Making one host service (or the database under it) fail on purpose: the stand-in for a database
// or a host service that is down, times out or fails half-way. Used by databaseFailureAttacks.
// Like holdCalls.ts it replaces a method of a host class's prototype for a test, so the plugin
// keeps calling the host's real services (and imports nothing but host-sim/spi).
import { ServiceUnavailableError } from '../../../../host-sim/spi';

export interface Fault {
  /** Calls made to fail so far. */
  readonly failed: number;
  /** Puts the original method back. */
  restore(): void;
}

type AnyFn = (...args: unknown[]) => unknown;

/** The error of a database that cannot be reached (the host's own type: the plugin answers 503). */
export const unavailable = (): Error => new ServiceUnavailableError('injected: the host database is unavailable');

/**
 * An error as a driver reports a failing statement, carrying SQL text: the plugin must not show it
 * to the client (it answers a generic 500).
 */
export const sqlError = (): Error => Object.assign(new Error('injected: SQLITE_IOERR near "SELECT ID, PUBLIC_ID, HASH FROM AO_TOKEN WHERE PUBLIC_ID IN (?)"'), { code: 'SQLITE_IOERR' });

/**
 * The next `times` calls of `proto[method]` for which `matches(args, stack)` holds reject with
 * `error()` (`when: 'after'`: the call runs first — a write that committed — and then rejects, as a
 * statement whose answer was lost). Every other call runs as usual.
 */
export function failCalls(proto: object, method: string, matches: (args: unknown[], stack: string) => boolean, times = 1,
  error: () => unknown = unavailable, when: 'before' | 'after' = 'before'): Fault {
  const target = proto as Record<string, AnyFn>;
  const original = target[method];
  let left = times;
  let failed = 0;
  target[method] = function (this: unknown, ...args: unknown[]) {
    if (left > 0) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 60;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      if (matches(args, stack)) {
        left--;
        failed++;
        if (when === 'before') return Promise.reject(error());
        return Promise.resolve(original.apply(this, args)).then(() => Promise.reject(error()));
      }
    }
    return original.apply(this, args);
  };
  return {
    get failed() { return failed; },
    restore: () => { target[method] = original; },
  };
}
