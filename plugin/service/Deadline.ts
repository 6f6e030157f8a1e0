import { ServiceUnavailableError } from '../../host-sim/spi';

/**
 * Default of how long a database call that a node shares between requests (a batch of token
 * rows, the settings read, a cache invalidation's send) may go unanswered before it is given up
 * (system property `apitokenauth.databaseTimeoutMs`). A call on a connection that stalled without
 * being reset would otherwise keep every request waiting for it for as long as that connection
 * lives, after the database is back too.
 */
export const DEFAULT_DATABASE_TIMEOUT_MS = 10_000;

/**
 * `call`'s outcome, or a {@link ServiceUnavailableError} (503) once `ms` have passed without one;
 * the call's late answer is then dropped.
 */
export function withDeadline<T>(call: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ServiceUnavailableError(`${what} did not answer in time`)), ms);
    timer.unref();
    call.then((value) => { clearTimeout(timer); resolve(value); }, (err: unknown) => { clearTimeout(timer); reject(err); });
  });
}
