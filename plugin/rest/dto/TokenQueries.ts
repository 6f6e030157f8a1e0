// Query parameters of `GET /user/tokensByFilter` (and its filter, which a bulk deletion sends as
// a JSON object) and of `GET /user/userKeyByEmail`, as DTO classes checked by class-validator.
// From a query every value is text (a repeated parameter a list); from JSON a time may also be
// a number. An empty parameter counts as not given.
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import type { TokenScope } from '../../ao/Token';
import type { SortDirection, TokenFilter, TokenSortKey } from '../../ao/TokenStore';
import { field, says } from '../../validation/checkDto';

/** `userFilter` names at most this many users, each a user key of at most {@link MAX_USER_KEY} characters. */
export const MAX_USER_FILTER = 100;
const MAX_USER_KEY = 255;
const MAX_DESCRIPTION_FILTER = 255;
const EPOCH_MILLIS = /^-?[0-9]{1,16}$/;
/** A page number or page size: digits only (no sign, fraction, exponent or hex). */
const DIGITS = /^[0-9]+$/;

export const SORT_KEYS: readonly TokenSortKey[] = ['validUntil', 'created', 'lastAccessed', 'description', 'user'];
export const DIRECTIONS: readonly SortDirection[] = ['asc', 'desc'];
export const FORMATS = ['json', 'csv'] as const;

type Value = { value: unknown };
const emptyIsAbsent = (value: unknown): unknown => (value === '' ? undefined : value);

/** Not a list: a single parameter given twice (`?a=1&a=2`), or a JSON list where one value belongs. */
function Single(): PropertyDecorator {
  return ValidateBy({
    name: 'single',
    validator: { validate: (value: unknown) => !Array.isArray(value), defaultMessage: () => '$property must be given once' },
  }, says('single'));
}

/** A time in epoch milliseconds, from `min` (digits, or a JSON number). */
function EpochMillis(min: number): PropertyDecorator {
  const epoch = says('epochMillis');
  return field(
    Transform(({ value }: Value) => (typeof value === 'string' && EPOCH_MILLIS.test(value) ? Number(value) : emptyIsAbsent(value))),
    IsOptional(), Single(), IsInt(epoch), Min(min, epoch), Max(Number.MAX_SAFE_INTEGER, epoch),
  );
}

/** A page number (from 0) or size (from 1); a huge one saturates, as it is beyond any data anyway. */
function Count(min: 0 | 1): PropertyDecorator {
  const count = says(min === 0 ? 'nonNegativeInteger' : 'positiveInteger');
  return field(
    Transform(({ value }: Value) => (typeof value === 'string' && DIGITS.test(value) ? Math.min(Number(value), Number.MAX_SAFE_INTEGER) : emptyIsAbsent(value))),
    IsOptional(), Single(), IsInt(count), Min(min, count),
  );
}

/** One of a closed list of texts. */
function Choice(values: readonly string[]): PropertyDecorator {
  return field(Transform(({ value }: Value) => emptyIsAbsent(value)), IsOptional(), Single(), IsIn([...values], says('oneOf', values.join(', '))));
}

/** The filter of `tokensByFilter`; also `filter` of `POST /admin/tokens/delete`. */
export class TokenFilterParams {
  /** One user key or a list (a repeated parameter); empty entries are left out. */
  @field(
    Transform(({ value }: Value) => {
      if (value === undefined || value === null) return undefined;
      const list = (Array.isArray(value) ? value : [value]).filter((u) => u !== '');
      return list.length > 0 ? list : undefined;
    }),
    IsOptional(), IsArray(says('stringList', MAX_USER_FILTER)), ArrayMaxSize(MAX_USER_FILTER, says('stringList', MAX_USER_FILTER)),
    IsString({ ...says('stringList', MAX_USER_FILTER), each: true }), MaxLength(MAX_USER_KEY, { ...says('stringList', MAX_USER_FILTER), each: true }),
  ) userFilter?: string[];

  /** A case-insensitive part of the description. */
  @field(
    Transform(({ value }: Value) => (typeof value === 'number' ? String(value) : emptyIsAbsent(value))),
    IsOptional(), Single(), IsString(says('stringLength', 0, MAX_DESCRIPTION_FILTER)),
    MaxLength(MAX_DESCRIPTION_FILTER, says('stringLength', 0, MAX_DESCRIPTION_FILTER)),
  ) descriptionFilter?: string;

  /** Valid until at most this; -1 = no filter. */
  @EpochMillis(-1) notValidAfter?: number;

  @field(
    Transform(({ value }: Value) => (typeof value === 'string' && EPOCH_MILLIS.test(value) ? Number(value) : emptyIsAbsent(value))),
    IsOptional(), Single(), IsIn([0, 1, 2], says('oneOf', '0, 1, 2')),
  ) tokenScope?: TokenScope;

  @EpochMillis(0) fromCreated?: number;
  @EpochMillis(0) untilCreated?: number;
  @EpochMillis(0) fromLastUsed?: number;
  @EpochMillis(0) untilLastUsed?: number;
  @EpochMillis(0) fromExpiresDuring?: number;
  @EpochMillis(0) untilExpiresDuring?: number;
}

/** The {@link TokenFilter} a checked filter names. */
export function tokenFilterOf(params: TokenFilterParams): TokenFilter {
  const filter: { -readonly [K in keyof TokenFilter]: TokenFilter[K] } = {};
  if (params.userFilter) filter.userKeys = params.userFilter;
  if (params.descriptionFilter) filter.descriptionContains = params.descriptionFilter;
  if (params.notValidAfter !== undefined && params.notValidAfter !== -1) filter.notValidAfter = params.notValidAfter;
  if (params.tokenScope !== undefined) filter.scope = params.tokenScope;
  if (params.fromCreated !== undefined) filter.createdFrom = params.fromCreated;
  if (params.untilCreated !== undefined) filter.createdUntil = params.untilCreated;
  if (params.fromLastUsed !== undefined) filter.lastUsedFrom = params.fromLastUsed;
  if (params.untilLastUsed !== undefined) filter.lastUsedUntil = params.untilLastUsed;
  if (params.fromExpiresDuring !== undefined) filter.expiresFrom = params.fromExpiresDuring;
  if (params.untilExpiresDuring !== undefined) filter.expiresUntil = params.untilExpiresDuring;
  return filter;
}

/** `GET /user/tokensByFilter`: the filter, then paging, order and format. */
export class TokensByFilterQuery extends TokenFilterParams {
  @Count(0) page?: number;
  @Count(1) limit?: number;
  @Choice(SORT_KEYS) sort?: TokenSortKey;
  @Choice(DIRECTIONS) order?: SortDirection;
  @Choice(FORMATS) format?: (typeof FORMATS)[number];
}

/** `?snippets=true` on create and regenerate (checked before anything is created). */
export class SnippetsQuery {
  @Choice(['true', 'false']) snippets?: 'true' | 'false';
}

/** `GET /user/userKeyByEmail?email=`: 1 to 255 characters (trimmed). */
export class UserKeyByEmailQuery {
  @field(
    Transform(({ value }: Value) => (typeof value === 'string' ? value.trim() : value)),
    IsDefined(says('stringLength', 1, 255)), IsString(says('stringLength', 1, 255)),
    MinLength(1, says('stringLength', 1, 255)), MaxLength(255, says('stringLength', 1, 255)),
  ) email!: string;
}
