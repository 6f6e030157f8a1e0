// The plugin's request DTOs: class-transformer builds an instance from the JSON (or the query),
// class-validator checks it, and each failed constraint becomes the plugin's own per-field
// error (an i18n key under `apitokenauth.validation.` with its arguments, see ApiError), so
// the error mapper answers the documented `{"errorMessage", "errors": {field: message}}`.
// Only the DTO's declared fields are read, and only the JSON's own keys: any other key,
// `__proto__` and the names Object.prototype inherits included, is an unknown field.
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError, type ValidationOptions } from 'class-validator';
import { ApiError, type FieldError } from '../errors/ApiError';

export type DtoClass<T> = new () => T;

/** Declared field names per DTO class, in declaration order. */
const DECLARED = new Map<object, string[]>();

/** The options of a constraint whose failure reports `key` (with `args`) for its field. */
export function says(key: string, ...args: Array<string | number>): ValidationOptions {
  const context: FieldError = { key, args };
  return { context };
}

/**
 * Declares a DTO field: applies its class-validator / class-transformer decorators in the
 * order given (class-validator stops at the first failed one, so the first says most).
 */
export function field(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    const names = DECLARED.get(target.constructor) ?? [];
    if (!names.includes(String(property))) names.push(String(property));
    DECLARED.set(target.constructor, names);
    for (const decorate of decorators) decorate(target, property);
  };
}

export interface DtoCheck<T> {
  readonly value: T;
  /** Per-field problems, named `prefix + field`; a null-prototype record (any key is an own entry). */
  readonly errors: Record<string, FieldError>;
}

export interface CheckOptions {
  /** Keys the DTO does not declare: an error (bodies) or left out (queries, as the products ignore them). */
  readonly unknown: 'refuse' | 'ignore';
  /** Put before every field name in `errors` (e.g. `filter.`). */
  readonly prefix?: string;
}

/** The fields a DTO class and its superclasses declare. */
function declaredFields(dto: object): string[] {
  const names: string[] = [];
  for (let cls: object | null = dto; cls && cls !== Function.prototype; cls = Object.getPrototypeOf(cls) as object | null) {
    names.push(...(DECLARED.get(cls) ?? []));
  }
  return names;
}

function fieldErrorOf(error: ValidationError): FieldError {
  const [failed] = Object.keys(error.constraints ?? {});
  const context = error.contexts?.[failed] as FieldError | undefined;
  if (!context) throw new Error(`DTO constraint ${failed} on ${error.property} has no message (use says())`);
  return context;
}

/** Checks a JSON object (or query) against a DTO class; errors are returned, not thrown. */
export function checkDto<T extends object>(dto: DtoClass<T>, plain: Readonly<Record<string, unknown>>, options: CheckOptions): DtoCheck<T> {
  const declared = declaredFields(dto);
  const prefix = options.prefix ?? '';
  const errors = Object.create(null) as Record<string, FieldError>;
  const known = {} as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    if (declared.includes(key)) known[key] = plain[key];
    else if (options.unknown === 'refuse') errors[prefix + key] = { key: 'unknownField' };
  }
  const value = plainToInstance(dto, known);
  const problems = validateSync(value, { stopAtFirstError: true, forbidUnknownValues: true, validationError: { target: false, value: false } });
  for (const problem of problems) {
    if (Object.keys(problem.constraints ?? {}).length > 0) errors[prefix + problem.property] = fieldErrorOf(problem);
  }
  return { value, errors };
}

/** {@link checkDto} that throws 400 `VALIDATION_FAILED` with every problem. */
export function readDto<T extends object>(dto: DtoClass<T>, plain: Readonly<Record<string, unknown>>, options: CheckOptions): T {
  const { value, errors } = checkDto(dto, plain, options);
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
  return value;
}
