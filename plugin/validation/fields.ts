// Field decorators of the plugin's request DTOs: class-validator constraints (+ class-transformer
// where a value is normalised), each carrying the field error it reports (see checkDto.ts). The
// keys and arguments are the ones docs/api.md documents (i18n `apitokenauth.validation.<key>`);
// messages name real limits, never Number.MAX_SAFE_INTEGER.
import { Transform } from 'class-transformer';
import {
  Allow, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min,
  MinLength, ValidateBy, ValidateIf,
} from 'class-validator';
import { holdsTokenSecret } from '../token/TokenFormat';
import { field, says } from './checkDto';
import { UNSAFE_CHARACTERS } from './unsafeCharacters';

/** Optional body fields take null as absent. */
const nullIsAbsent = Transform(({ value }: { value: unknown }) => (value === null ? undefined : value));
const optional = [nullIsAbsent, IsOptional()];
/** None of the {@link UNSAFE_CHARACTERS}: a description is shown to administrators inside sentences, lists and mails. */
const NO_CONTROL_CHARACTERS = new RegExp(`^[^${UNSAFE_CHARACTERS}]*$`);

/**
 * True when `value` (any JSON value: strings, list items, object keys and values at any depth)
 * holds a token's secret. Walks with its own stack, so a deeply nested body cannot exhaust the
 * call stack.
 */
function holdsTokenSecretAnywhere(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (holdsTokenSecret(next)) return true;
    } else if (Array.isArray(next)) {
      for (const item of next as unknown[]) pending.push(item);
    } else if (typeof next === 'object' && next !== null) {
      for (const key of Object.keys(next)) {
        if (holdsTokenSecret(key)) return true;
        pending.push((next as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

/**
 * No token anywhere in the value, reported as `key`: descriptions and restrictions are stored and
 * shown to administrators, in token lists, the CSV export, audit events and mails, so a token
 * pasted into them would be written down in full. A token named by its public id alone
 * (`apitok_<id>_…`) is fine.
 */
function NoTokenSecret(key: 'descriptionToken' | 'restrictionsToken'): PropertyDecorator {
  return ValidateBy({
    name: 'noTokenSecret',
    validator: {
      validate: (value: unknown) => !holdsTokenSecretAnywhere(value),
      // Non-empty: class-validator hands a constraint's context back only with a message.
      defaultMessage: () => 'must not contain an API token',
    },
  }, says(key));
}

/** A free text, trimmed: 1 to `max` characters without control or reordering characters or a token; absent, null or blank = not given. */
export function Description(max: number): PropertyDecorator {
  const description = says('description', max);
  return field(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value ?? undefined)),
    IsOptional(), IsString(says('string')), MaxLength(max, description), Matches(NO_CONTROL_CHARACTERS, description), NoTokenSecret('descriptionToken'),
  );
}

/** A whole JSON number ≥ 1 (no upper limit the caller must know: the service applies the real ones). */
export function PositiveInteger(): PropertyDecorator {
  const positive = says('positiveInteger');
  return field(...optional, IsInt(positive), Min(1, positive), Max(Number.MAX_SAFE_INTEGER, positive));
}

/** A text of 1 to `max` characters. */
export function Text(max: number): PropertyDecorator {
  const length = says('stringLength', 1, max);
  return field(...optional, IsString(length), MinLength(1, length), MaxLength(max, length));
}

/** One of a closed list of values. */
export function OneOf(values: ReadonlyArray<string | number>): PropertyDecorator {
  return field(...optional, IsIn([...values], says('oneOf', values.join(', '))));
}

export function Bool(): PropertyDecorator {
  return field(...optional, IsBoolean(says('boolean')));
}

/**
 * The value exactly as the JSON gave it (class-transformer would copy a nested object and drop
 * keys such as `hasOwnProperty` on the way, which the checks behind must see).
 */
export function asGiven(options: { keepNull?: boolean } = {}): PropertyDecorator {
  return Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => (options.keepNull ? obj[key] : obj[key] ?? undefined));
}

/**
 * Any JSON value, checked by the service (the restrictions engine reports its own errors).
 * `keepNull`: null is a value (an edit's "remove"), else null is absent.
 */
export function Checked(options: { keepNull?: boolean } = {}): PropertyDecorator {
  return field(asGiven(options), Allow());
}

/**
 * Restrictions or an IP allowlist as the JSON gave them (checked by the restrictions engine),
 * holding no token: they are stored and shown in token lists, the Token Manager and audit events.
 * `keepNull` as for {@link Checked}.
 */
export function Restrictions(options: { keepNull?: boolean } = {}): PropertyDecorator {
  return field(asGiven(options), Allow(), NoTokenSecret('restrictionsToken'));
}

/** The fields of which exactly one must be given (reported on the field this decorates). */
export function ExactlyOneOf(fields: readonly string[]): PropertyDecorator {
  return ValidateBy({
    name: 'exactlyOneOf',
    validator: {
      validate: (_value: unknown, args) => fields.filter((f) => (args?.object as Record<string, unknown>)[f] !== undefined).length === 1,
      // Non-empty: class-validator hands a constraint's context back only with a message.
      defaultMessage: () => `give exactly one of ${fields.join(', ')}`,
    },
  }, says('oneOfFields', fields.join(', ')));
}

/** Present → checked as `decorators`; null is a wrong value, not an absent one (settings). */
export function Present(...decorators: PropertyDecorator[]): PropertyDecorator {
  return field(ValidateIf((_object, value) => value !== undefined), ...decorators);
}
