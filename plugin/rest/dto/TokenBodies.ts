// Bodies of the token resources (create, edit, regenerate, and `/rest/api-tokens` create) as
// DTO classes checked by class-validator (plugin/validation). Field names are the JSON names.
import { DESCRIPTION_MAX_LENGTH } from '../../ao/TokenEntity';
import type { TokenScope } from '../../ao/Token';
import { Bool, Description, OneOf, PositiveInteger, Restrictions, Text } from '../../validation/fields';

/** Longest `tokenExpirationDateTime` taken (an ISO 8601 date with offset is at most 35). */
export const MAX_DATE_TIME_LENGTH = 40;
/** Longest user key (the products' column). */
export const MAX_USER_KEY_LENGTH = 255;

/** A new expiry: months from now, a date with offset, or epoch milliseconds (the service checks the rules). */
export class ExpiryFields {
  @PositiveInteger() tokenValidityTimeInMonths?: number;
  @Text(MAX_DATE_TIME_LENGTH) tokenExpirationDateTime?: string;
  @PositiveInteger() tokenExpirationDateTimeMillis?: number;
}

/** `POST /user/token/{id}/rotate`: only a new expiry (none: the default). */
export class RotateTokenBody extends ExpiryFields {}

/** `POST /user/token`. */
export class CreateTokenBody extends ExpiryFields {
  @Description(DESCRIPTION_MAX_LENGTH) tokenDescription?: string;
  // 0: the seeds' legacy scope (seed 000 creates with it), read/write.
  @OneOf([0, 1, 2]) tokenScope?: TokenScope;
  @Text(MAX_USER_KEY_LENGTH) tokenForUserKey?: string;
  @Bool() userless?: boolean;
  @Restrictions() restrictions?: unknown;
  @Restrictions() ipAllowlist?: unknown;
  @Bool() sudo?: boolean;
}

/** `PATCH /user/token/{id}`: null in `restrictions` / `ipAllowlist` removes them, absent keeps them; neither may hold a token. */
export class UpdateTokenBody extends ExpiryFields {
  @Description(DESCRIPTION_MAX_LENGTH) tokenDescription?: string;
  @Restrictions({ keepNull: true }) restrictions?: unknown;
  @Restrictions({ keepNull: true }) ipAllowlist?: unknown;
  // A scope can only be lowered; 0 (legacy) is never set by an edit.
  @OneOf([1, 2]) tokenScope?: 1 | 2;
}

/** `POST /rest/api-tokens/1.0` (seed 003). */
export class ApiTokenBody {
  @Description(DESCRIPTION_MAX_LENGTH) label?: string;
}
