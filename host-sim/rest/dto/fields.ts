// Field decorators of the host's request DTOs: class-validator constraints (+ class-transformer
// where a value must be converted or a nested DTO built), each carrying the host i18n message
// that reports it in `{"errors": {field: message}}` (see readDto.ts). Messages name the limits.
import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean, IsDefined, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested,
  type ValidationOptions,
} from 'class-validator';

/** Longest name-like text (user names, summaries, titles): Jira's and Confluence's 255. */
export const MAX_NAME = 255;
/** Longest free text (descriptions, comments, JQL, passwords). */
export const MAX_TEXT = 32767;
/** Largest paging parameter (`startAt`, `maxResults`, `start`, `limit`): a Java int, as in the products. */
export const MAX_INT = 2147483647;

/** The message a failed constraint reports; `{0}` is always the field's name. */
export interface FieldMessage {
  readonly key: string;
  readonly args: ReadonlyArray<string | number>;
}

/** A constraint's options with its message (read back from `ValidationError.contexts`). */
export function says(key: string, ...args: Array<string | number>): ValidationOptions {
  const context: FieldMessage = { key, args };
  return { context };
}

function all(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}

const nullIsAbsent = Transform(({ value }) => (value === null ? undefined : value));

/** Optional fields take null (and, for texts, '') as absent; required ones report them as missing. */
function presence(required: boolean | undefined): PropertyDecorator {
  return required ? IsDefined(says('hostsim.validation.required')) : all(nullIsAbsent, IsOptional());
}

export interface TextOptions {
  readonly required?: boolean;
  /** When given, the text must not be '' (for edits: absent keeps the value, '' is refused). */
  readonly nonEmpty?: boolean;
  /** Default {@link MAX_NAME}. */
  readonly max?: number;
  readonly pattern?: RegExp;
  /** The message of a pattern mismatch (default: the text message with its limit). */
  readonly patternKey?: string;
}

/** A text of at most `max` characters; '' counts as absent unless `nonEmpty`. */
export function Text(options: TextOptions = {}): PropertyDecorator {
  const max = options.max ?? MAX_NAME;
  const text = says('hostsim.validation.string', max);
  return all(
    Transform(({ value }) => (value === null || (value === '' && !options.nonEmpty) ? undefined : value)),
    options.required ? IsNotEmpty(says('hostsim.validation.required')) : IsOptional(),
    ...(options.nonEmpty ? [IsNotEmpty(says('hostsim.validation.required'))] : []),
    IsString(text),
    MaxLength(max, text),
    ...(options.pattern ? [Matches(options.pattern, options.patternKey ? says(options.patternKey) : text)] : []),
  );
}

export function Bool(options: { required?: boolean } = {}): PropertyDecorator {
  return all(presence(options.required), IsBoolean(says('hostsim.validation.boolean')));
}

/** A whole JSON number from `min` to `max`. */
export function Integer(min: number, max: number, options: { required?: boolean } = {}): PropertyDecorator {
  const range = says('hostsim.validation.integerRange', min, max);
  return all(presence(options.required), IsInt(range), Min(min, range), Max(max, range));
}

/** One of a closed list of texts. */
export function OneOf(values: readonly string[], options: { required?: boolean } = {}): PropertyDecorator {
  return all(presence(options.required), IsIn([...values], says('hostsim.validation.oneOf', values.join(', '))));
}

/** A nested object, checked as the DTO class `type()` returns. */
export function Nested(type: () => new () => object, options: { required?: boolean } = {}): PropertyDecorator {
  return all(presence(options.required), IsObject(says('hostsim.validation.object')), ValidateNested(), Type(type));
}

/** A query parameter given once, of at most `max` characters (repeated → 400). */
export function QueryText(options: { required?: boolean; max?: number } = {}): PropertyDecorator {
  return Text(options);
}

/** A query parameter from a closed list ('' counts as absent). */
export function QueryOneOf(values: readonly string[]): PropertyDecorator {
  return all(Transform(({ value }) => (value === '' ? undefined : value)), OneOf(values));
}

/** A point in time as a query parameter: epoch milliseconds or an ISO 8601 date (at most 40 characters). */
export function QueryInstant(): PropertyDecorator {
  const instant = says('hostsim.validation.instant');
  return all(
    QueryText({ max: 40 }),
    ValidateBy({
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && (/^\d{1,16}$/.test(value) || !Number.isNaN(Date.parse(value))),
        // Non-empty: class-validator hands a constraint's context back only with a message.
        defaultMessage: () => '$property must be epoch milliseconds or an ISO 8601 date',
      },
    }, instant),
  );
}

/** Epoch millis of a value {@link QueryInstant} accepted. */
export function instantOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return /^\d{1,16}$/.test(value) ? Number(value) : Date.parse(value);
}

/** A whole-number query parameter from `min` to `max` (digits only; the resource applies its default). */
export function QueryInteger(min: number, max: number): PropertyDecorator {
  const range = says('hostsim.validation.integerRange', min, max);
  return all(
    Transform(({ value }) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value === '' ? undefined : value)),
    IsOptional(), IsInt(range), Min(min, range), Max(max, range),
  );
}
