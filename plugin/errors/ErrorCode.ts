/** Every error the plugin answers with: HTTP status and i18n key (`apitokenauth.error.<CODE>`). */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  EXPIRY_INVALID: 400,
  EXPIRY_WITHOUT_OFFSET: 400,
  EXPIRY_IN_PAST: 400,
  EXPIRY_BEYOND_MAXIMUM: 400,
  TOKEN_EXPIRED: 400,
  USER_INACTIVE: 400,
  RESTRICTIONS_INVALID: 400,
  USERLESS_NEEDS_RESTRICTION: 400,
  SETTINGS_INVALID: 400,
  BAD_REQUEST_TARGET: 400,
  NOT_AUTHENTICATED: 401,
  TOKEN_AUTH_FAILED: 401,
  TOKEN_REST_ONLY: 401,
  /** An administrator's cookie session without a live websudo window (password not entered again lately). */
  WEBSUDO_REQUIRED: 401,
  FORBIDDEN: 403,
  SYSADMIN_REQUIRED: 403,
  ON_BEHALF_REQUIRED: 403,
  TOKENS_NOT_ALLOWED: 403,
  READ_ONLY_REQUIRED: 403,
  SCOPE_TOO_WEAK: 403,
  TOKEN_RESTRICTED: 403,
  SECURE_MODE_LOCKED: 403,
  SCOPE_RAISE_FORBIDDEN: 403,
  SECURE_MODE_NO_SNIPPETS: 403,
  RESTRICTED_TOKEN_FORBIDDEN: 403,
  TOKEN_READ_ONLY: 403,
  TOKEN_IP_NOT_ALLOWED: 403,
  TOKEN_PRIVILEGE_EXCEEDED: 403,
  EXPIRY_EXTENSION_FORBIDDEN: 403,
  TARGET_OUTRANKS_CALLER: 403,
  SUDO_NOT_ALLOWED: 403,
  SUDO_TARGET_FORBIDDEN: 403,
  SUDO_TOKENS_DISABLED: 403,
  SETTINGS_LOOSENED_THROUGH_TOKEN: 403,
  EXPIRED_TOKEN_FROZEN: 409,
  /** A change of one part of stored restrictions this version cannot read (nothing of them can be kept): send both parts. */
  RESTRICTIONS_UNREADABLE: 409,
  /** The token changed again and again while a change of it was checked (each retry read it afresh); try again. */
  TOKEN_CHANGED_CONCURRENTLY: 409,
  NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  EMAIL_NOT_FOUND: 404,
  EMAIL_AMBIGUOUS: 409,
  TOO_MANY_TOKENS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  THROTTLED: 429,
  INTERNAL_ERROR: 500,
  DATABASE_UNAVAILABLE: 503,
} as const;

/** The closed union of error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code];
}

export function i18nKeyOf(code: ErrorCode): string {
  return `apitokenauth.error.${code}`;
}
