// Bodies of the incident-response resources (docs/api.md "Incident response") as DTO classes
// checked by class-validator: find a leaked token, bulk revoke, revoke without authentication.
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsInt, IsObject, IsString, Max, MaxLength, Min, MinLength, ValidateBy, ValidateIf,
} from 'class-validator';
import { MAX_BULK_IDS } from '../../service/TokenIncidentService';
import { MAX_REVOKE_TOKENS } from '../../service/TokenRevocation';
import { field, says } from '../../validation/checkDto';
import { asGiven, ExactlyOneOf } from '../../validation/fields';

/** Longer than any token or public id: anything above is not one (and is not echoed anywhere). */
export const MAX_TOKEN_TEXT = 1000;

const given = (_object: object, value: unknown): boolean => value !== undefined;
/** Checked when given, or when `other` is not given either (then "exactly one of" fails). */
const givenOrAlone = (other: string) => (object: object, value: unknown): boolean =>
  value !== undefined || (object as Record<string, unknown>)[other] === undefined;

function tokenText(): PropertyDecorator[] {
  const length = says('stringLength', 1, MAX_TOKEN_TEXT);
  return [IsString(length), MinLength(1, length), MaxLength(MAX_TOKEN_TEXT, length)];
}

/** `POST /admin/tokens/lookup`: `{"token": …}` or `{"publicId": …}`, exactly one. */
export class LookupBody {
  @field(ValidateIf(givenOrAlone('publicId')), ExactlyOneOf(['token', 'publicId']), ...tokenText()) token?: string;
  @field(ValidateIf(given), ...tokenText()) publicId?: string;
}

/** A parameter that must never be in the URL: any value, even '', is refused. */
function BodyOnly(): PropertyDecorator {
  return field(ValidateBy({
    name: 'bodyOnly',
    validator: { validate: (value: unknown) => value === undefined, defaultMessage: () => '$property belongs in the JSON body' },
  }, says('bodyOnly')));
}

/**
 * The query of `POST /admin/tokens/lookup`: a token in the URL has already reached access logs,
 * so `token` or `publicId` there is refused (400) before anything else, so that scripts get fixed.
 */
export class LookupQuery {
  @BodyOnly() token?: never;
  @BodyOnly() publicId?: never;
}

/** `POST /admin/tokens/delete`: `{"ids": [1..1000 ids]}` or `{"filter": {<tokensByFilter filter>}}`, exactly one. */
export class BulkDeleteBody {
  @field(
    ValidateIf(givenOrAlone('filter')), ExactlyOneOf(['ids', 'filter']),
    IsArray(says('idList', MAX_BULK_IDS)), ArrayMinSize(1, says('idList', MAX_BULK_IDS)), ArrayMaxSize(MAX_BULK_IDS, says('idList', MAX_BULK_IDS)),
    IsInt({ ...says('idList', MAX_BULK_IDS), each: true }), Min(1, { ...says('idList', MAX_BULK_IDS), each: true }),
    Max(Number.MAX_SAFE_INTEGER, { ...says('idList', MAX_BULK_IDS), each: true }),
  ) ids?: number[];

  /** Checked as {@link TokenFilterParams} by the resource (its errors named `filter.<parameter>`). */
  @field(asGiven({ keepNull: true }), ValidateIf(given), IsObject(says('object'))) filter?: Record<string, unknown>;
}

/** `POST /tokens/revoke`: `{"tokens": [at most 100 strings]}`. */
export class RevokeBody {
  @field(
    IsDefined(says('tokenList', MAX_REVOKE_TOKENS)), IsArray(says('tokenList', MAX_REVOKE_TOKENS)),
    ArrayMaxSize(MAX_REVOKE_TOKENS, says('tokenList', MAX_REVOKE_TOKENS)),
    IsString({ ...says('tokenList', MAX_REVOKE_TOKENS), each: true }), MaxLength(MAX_TOKEN_TEXT, { ...says('tokenList', MAX_REVOKE_TOKENS), each: true }),
  ) tokens!: string[];
}
