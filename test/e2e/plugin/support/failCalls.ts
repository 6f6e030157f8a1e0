// Making one host service (or the database under it) fail on purpose: the stand-in for a database
// or a host service that is down, times out or fails half-way. Used by databaseFailureAttacks.
// Like holdCalls.ts it replaces a method of a host class's prototype for a test (interceptCalls.ts),
// so the plugin keeps calling the host's real services (and imports nothing but host-sim/spi).
import { ServiceUnavailableError } from '../../../../host-sim/spi';
import { interceptCalls } from './interceptCalls';

export interface Fault {
  /** Calls made to fail so far. */
  readonly failed: number;
  /** Puts the original method back. */
  restore(): void;
}

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
  let failed = 0;
  const restore = interceptCalls(proto, method, matches, times, (run) => {
    failed++;
    if (when === 'before') return Promise.reject(error());
    return Promise.resolve(run()).then(() => Promise.reject(error()));
  });
  return {
    get failed() { return failed; },
    restore,
  };
}
