// Query parameters of the Token Manager's user picker endpoints (UserLookupRouter), as DTO
// classes checked by class-validator like the REST resources' queries. Other parameters are
// ignored, as Jira ignores them.
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { field, says } from '../validation/checkDto';

/** Users one search returns at most. */
export const MAX_SEARCH_RESULTS = 20;
/** Keys one lookup resolves at most (the owner column of one page). */
export const MAX_LOOKUP_KEYS = 100;
const MAX_TEXT = 255;

type Value = { value: unknown };

/** `GET /users/search?query=`: up to 255 characters, trimmed; empty finds nobody. */
export class UserSearchQuery {
  @field(
    Transform(({ value }: Value) => (typeof value === 'string' ? value.trim() : value)),
    IsOptional(), IsString(says('stringLength', 0, MAX_TEXT)), MaxLength(MAX_TEXT, says('stringLength', 0, MAX_TEXT)),
  ) query?: string;
}

/** `GET /users/lookup?key=a&key=b`: one to {@link MAX_LOOKUP_KEYS} non-empty user keys. */
export class UserLookupQuery {
  @field(
    Transform(({ value }: Value) => (typeof value === 'string' ? [value] : value)),
    IsArray(says('stringList', MAX_LOOKUP_KEYS)), ArrayMaxSize(MAX_LOOKUP_KEYS, says('stringList', MAX_LOOKUP_KEYS)),
    IsString({ ...says('stringList', MAX_LOOKUP_KEYS), each: true }), MinLength(1, { ...says('stringList', MAX_LOOKUP_KEYS), each: true }),
    MaxLength(MAX_TEXT, { ...says('stringList', MAX_LOOKUP_KEYS), each: true }),
  ) key!: string[];
}
