/**
 * Thrown by any host service when the database (or another backing service) cannot be
 * reached. Plugins must answer 503 to it, never fall back to anonymous access.
 */
export class ServiceUnavailableError extends Error {
  readonly code = 'SERVICE_UNAVAILABLE' as const;
  constructor(message = 'The host database is unavailable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** True for errors that mean "the backing store is down" rather than "bad input". */
export function isServiceUnavailable(err: unknown): err is ServiceUnavailableError {
  return err instanceof ServiceUnavailableError
    || (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'SERVICE_UNAVAILABLE');
}
