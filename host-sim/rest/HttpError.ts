// Typed host errors: a closed set of codes, each with its HTTP status and i18n key. The
// error-mapping middleware renders them in the shape the request's API uses.

export type HostErrorCode =
  | 'BAD_REQUEST' | 'INVALID_JSON' | 'JSON_TOO_DEEP' | 'VALIDATION_FAILED' | 'INVALID_JQL'
  | 'NOT_AUTHENTICATED' | 'AUTHENTICATION_FAILED' | 'CAPTCHA_REQUIRED' | 'WEBSUDO_REQUIRED'
  | 'FORBIDDEN' | 'XSRF_CHECK_FAILED' | 'NOT_FOUND' | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'SERVICE_UNAVAILABLE' | 'INTERNAL_ERROR';

export const HOST_ERRORS: Readonly<Record<HostErrorCode, { readonly status: number; readonly key: string }>> = {
  BAD_REQUEST: { status: 400, key: 'hostsim.error.bad.request' },
  INVALID_JSON: { status: 400, key: 'hostsim.error.invalid.json' },
  JSON_TOO_DEEP: { status: 400, key: 'hostsim.error.json.depth' },
  VALIDATION_FAILED: { status: 400, key: 'hostsim.error.validation' },
  INVALID_JQL: { status: 400, key: 'hostsim.error.jql' },
  NOT_AUTHENTICATED: { status: 401, key: 'hostsim.error.not.authenticated' },
  AUTHENTICATION_FAILED: { status: 401, key: 'hostsim.error.authentication.failed' },
  CAPTCHA_REQUIRED: { status: 403, key: 'hostsim.error.captcha' },
  WEBSUDO_REQUIRED: { status: 401, key: 'hostsim.error.websudo' },
  FORBIDDEN: { status: 403, key: 'hostsim.error.forbidden' },
  XSRF_CHECK_FAILED: { status: 403, key: 'hostsim.error.xsrf' },
  NOT_FOUND: { status: 404, key: 'hostsim.error.not.found' },
  CONFLICT: { status: 409, key: 'hostsim.error.conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, key: 'hostsim.error.too.large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, key: 'hostsim.error.media.type' },
  SERVICE_UNAVAILABLE: { status: 503, key: 'hostsim.error.unavailable' },
  INTERNAL_ERROR: { status: 500, key: 'hostsim.error.internal' },
};

/** An i18n message: key plus `{0}` arguments. */
export interface Message {
  readonly key: string;
  readonly args?: ReadonlyArray<string | number>;
}

export function msg(key: string, ...args: Array<string | number>): Message {
  return { key, args };
}

/** A client-facing error. `message` overrides the code's default text; `errors` are per field. */
export class HttpError extends Error {
  readonly status: number;

  constructor(
    readonly code: HostErrorCode,
    readonly detail?: Message,
    readonly fieldErrors?: Readonly<Record<string, Message>>,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(code);
    this.name = 'HttpError';
    this.status = HOST_ERRORS[code].status;
  }
}

export function badRequest(key: string, ...args: Array<string | number>): HttpError {
  return new HttpError('BAD_REQUEST', msg(key, ...args));
}

/** Validation failure on named fields (`{"errors": {field: message}}`). */
export function invalidFields(errors: Record<string, Message>): HttpError {
  return new HttpError('VALIDATION_FAILED', undefined, errors);
}

export function notFound(key?: string, ...args: Array<string | number>): HttpError {
  return new HttpError('NOT_FOUND', key ? msg(key, ...args) : undefined);
}

export function forbidden(): HttpError {
  return new HttpError('FORBIDDEN');
}

export function notAuthenticated(): HttpError {
  return new HttpError('NOT_AUTHENTICATED');
}
