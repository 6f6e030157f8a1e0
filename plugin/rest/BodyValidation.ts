import { ApiError, type FieldError } from '../errors/ApiError';
import { DESCRIPTION_MAX_LENGTH } from '../ao/TokenEntity';

/**
 * Collects per-field problems of one request body; `done()` throws 400 with all of them. Only the
 * body's own properties are fields: a name inherited from Object.prototype (`toString`,
 * `hasOwnProperty`, …) is never read as a value, and any key, even `__proto__`, can be reported.
 */
export class BodyValidation {
  private readonly errors: Record<string, FieldError> = Object.create(null) as Record<string, FieldError>;

  constructor(private readonly body: Record<string, unknown>, allowed: readonly string[]) {
    for (const key of Object.keys(body)) if (!allowed.includes(key)) this.errors[key] = { key: 'unknownField' };
  }

  /** A present, non-null own value, else undefined. */
  private value(field: string): unknown {
    const v = Object.hasOwn(this.body, field) ? this.body[field] : undefined;
    return v === null ? undefined : v;
  }

  /** Whether the body names the field itself (even with null), not through its prototype. */
  has(field: string): boolean {
    return Object.hasOwn(this.body, field);
  }

  description(field: string, required: boolean): string | undefined {
    const v = this.value(field);
    if (v === undefined) {
      if (required) this.errors[field] = { key: 'required' };
      return undefined;
    }
    if (typeof v !== 'string') { this.errors[field] = { key: 'string' }; return undefined; }
    const trimmed = v.trim();
    if (trimmed.length === 0 && !required) return undefined;
    if (trimmed.length < 1 || trimmed.length > DESCRIPTION_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(trimmed)) {
      this.errors[field] = { key: 'description', args: [DESCRIPTION_MAX_LENGTH] };
      return undefined;
    }
    return trimmed;
  }

  integer(field: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.value(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      this.errors[field] = { key: 'integerRange', args: [min, max] };
      return undefined;
    }
    return v;
  }

  string(field: string, maxLength: number): string | undefined {
    const v = this.value(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0 || v.length > maxLength) {
      this.errors[field] = { key: 'stringLength', args: [1, maxLength] };
      return undefined;
    }
    return v;
  }

  oneOf<T extends number>(field: string, allowed: readonly T[]): T | undefined {
    const v = this.value(field);
    if (v === undefined) return undefined;
    if (!allowed.includes(v as T)) { this.errors[field] = { key: 'oneOf', args: [allowed.join(', ')] }; return undefined; }
    return v as T;
  }

  /** true/false; absent or null = undefined. */
  boolean(field: string): boolean | undefined {
    const v = this.value(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') { this.errors[field] = { key: 'boolean' }; return undefined; }
    return v;
  }

  raw(field: string): unknown {
    return this.value(field);
  }

  /** Throws 400 VALIDATION_FAILED when any field had a problem. */
  done(): void {
    if (Object.keys(this.errors).length > 0) throw ApiError.validation(this.errors);
  }
}
