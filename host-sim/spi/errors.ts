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

/**
 * Thrown by a plugin's activate function when one of its system properties (HOSTSIM_SYSPROPS,
 * `<DATA_DIR>/host.properties`) has a value it cannot use. The host names the property, the
 * value and what it expects, as it does for its own settings, instead of a generic activation
 * failure; a plugin never falls back to a default in silence for such a value.
 */
export class SystemPropertyError extends Error {
  readonly code = 'SYSTEM_PROPERTY_INVALID' as const;
  /**
   * @param property the property's name, e.g. `apitokenauth.secure.mode`
   * @param value the value as given
   * @param expected what the property takes, completing "set it to …", e.g. `true or false`
   */
  constructor(readonly property: string, readonly value: string, readonly expected: string) {
    super(`system property ${property}=${JSON.stringify(value)} cannot be used: set it to ${expected}`);
    this.name = 'SystemPropertyError';
  }
}
