// Input validation for the host's REST resources: every field is type- and size-checked;
// problems are collected per field and reported as one 400.
import type { Request } from 'express';
import { HttpError, invalidFields, msg, type Message } from './HttpError';

export const MAX_NAME = 255;
export const MAX_TEXT = 32767;

type Json = Record<string, unknown>;

/** The JSON body as an object, or a 400. */
export function bodyObject(req: Request): Json {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError('BAD_REQUEST', msg('hostsim.validation.body'));
  }
  return body as Json;
}

/** An own property of user JSON; names inherited from Object.prototype are absent. */
export function ownValue(source: Json, name: string): unknown {
  return Object.hasOwn(source, name) ? source[name] : undefined;
}

/**
 * Reads typed fields from a JSON object, collecting errors; call {@link FieldReader.done} at the
 * end. Only the object's own properties are fields (`toString`, `constructor`, … are absent
 * unless the JSON names them), and any name, even `__proto__`, can carry an error.
 */
export class FieldReader {
  constructor(
    private readonly source: Json,
    private readonly prefix = '',
    private readonly errors: Record<string, Message> = Object.create(null) as Record<string, Message>,
  ) {}

  private fail(name: string, message: Message): undefined {
    this.errors[this.prefix + name] = message;
    return undefined;
  }

  private value(name: string): unknown {
    return ownValue(this.source, name);
  }

  has(name: string): boolean {
    const value = this.value(name);
    return value !== undefined && value !== null;
  }

  string(name: string, options: { required?: boolean; max?: number; pattern?: RegExp; patternKey?: string } = {}): string | undefined {
    const value = this.value(name);
    const max = options.max ?? MAX_NAME;
    if (value === undefined || value === null || value === '') {
      return options.required ? this.fail(name, msg('hostsim.validation.required', this.prefix + name)) : undefined;
    }
    if (typeof value !== 'string' || value.length > max) return this.fail(name, msg('hostsim.validation.string', this.prefix + name, max));
    if (options.pattern && !options.pattern.test(value)) {
      return this.fail(name, msg(options.patternKey ?? 'hostsim.validation.string', this.prefix + name, max));
    }
    return value;
  }

  integer(name: string, options: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const value = this.value(name);
    if (value === undefined || value === null) {
      return options.required ? this.fail(name, msg('hostsim.validation.required', this.prefix + name)) : undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value)
      || (options.min !== undefined && value < options.min) || (options.max !== undefined && value > options.max)) {
      return this.fail(name, msg('hostsim.validation.integer', this.prefix + name));
    }
    return value;
  }

  boolean(name: string, options: { required?: boolean } = {}): boolean | undefined {
    const value = this.value(name);
    if (value === undefined || value === null) {
      return options.required ? this.fail(name, msg('hostsim.validation.required', this.prefix + name)) : undefined;
    }
    if (typeof value !== 'boolean') return this.fail(name, msg('hostsim.validation.boolean', this.prefix + name));
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], options: { required?: boolean } = {}): T | undefined {
    const value = this.value(name);
    if (value === undefined || value === null) {
      return options.required ? this.fail(name, msg('hostsim.validation.required', this.prefix + name)) : undefined;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      return this.fail(name, msg('hostsim.validation.oneOf', this.prefix + name, allowed.join(', ')));
    }
    return value as T;
  }

  /**
   * A nested object, read by a child reader that shares this reader's error list; its fields
   * are reported as `name.field` unless `nestedPrefix` says otherwise (Jira reports issue
   * fields without the `fields.` prefix).
   */
  object(name: string, options: { required?: boolean; nestedPrefix?: string } = {}): FieldReader | undefined {
    const value = this.value(name);
    if (value === undefined || value === null) {
      return options.required ? this.fail(name, msg('hostsim.validation.required', this.prefix + name)) : undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) return this.fail(name, msg('hostsim.validation.object', this.prefix + name));
    return new FieldReader(value as Json, options.nestedPrefix ?? `${this.prefix}${name}.`, this.errors);
  }

  /** Marks a field as invalid from outside (e.g. an unknown value). */
  reject(name: string, message: Message): void {
    this.fail(name, message);
  }

  /** Throws the collected errors as one 400. */
  done(): void {
    if (Object.keys(this.errors).length > 0) throw invalidFields(this.errors);
  }
}

/** A single-valued query parameter (repeated or over-long → 400). */
export function queryString(req: Request, name: string, options: { required?: boolean; max?: number } = {}): string | undefined {
  const value: unknown = ownValue(req.query as Json, name);
  const max = options.max ?? MAX_NAME;
  if (value === undefined || value === '') {
    if (options.required) throw invalidFields({ [name]: msg('hostsim.validation.required', name) });
    return undefined;
  }
  if (typeof value !== 'string' || value.length > max) throw invalidFields({ [name]: msg('hostsim.validation.string', name, max) });
  return value;
}

/** A non-negative integer query parameter with a default and an upper bound. */
export function queryInteger(req: Request, name: string, fallback: number, max: number): number {
  const raw = queryString(req, name, { max: 20 });
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw invalidFields({ [name]: msg('hostsim.validation.integer', name) });
  return Math.min(Number(raw), max);
}
