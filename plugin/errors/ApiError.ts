import { httpStatusOf, type ErrorCode } from './ErrorCode';

/**
 * A typed error of the plugin: a code (HTTP status and i18n key), the message arguments for
 * the `{0}` placeholders, optional per-field errors (each an i18n key plus args) and headers.
 */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly args: ReadonlyArray<string | number> = [],
    readonly fieldErrors: Readonly<Record<string, FieldError>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(code);
    this.name = 'ApiError';
    this.status = httpStatusOf(code);
  }

  /** A 400 VALIDATION_FAILED with per-field errors. */
  static validation(fieldErrors: Record<string, FieldError>): ApiError {
    return new ApiError('VALIDATION_FAILED', [], fieldErrors);
  }
}

/** One field's problem: an i18n key (under `apitokenauth.validation.`) and its arguments. */
export interface FieldError {
  readonly key: string;
  readonly args?: ReadonlyArray<string | number>;
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}
