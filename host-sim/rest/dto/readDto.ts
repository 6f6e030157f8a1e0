// Reads a request's JSON body or query into a DTO class: class-transformer builds the instance,
// class-validator checks it (unknown fields refused), and every problem becomes one entry of the
// host's `{"errorMessage", "errors": {field: message}}` 400, localised by the error mapping.
// Only own properties of the user's JSON are fields: class-transformer never copies
// `__proto__` or `constructor`, so those are reported here as unknown fields.
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { Request } from 'express';
import { HttpError, invalidFields, msg, type Message } from '../HttpError';
import { jsonValueNestsDeeper } from '../../web/jsonDepth';
import type { FieldMessage } from './fields';

export type DtoClass<T> = new () => T;

export interface ReadOptions {
  /**
   * Top-level properties whose fields are reported without their name, as Jira reports issue
   * fields (`summary`, not `fields.summary`).
   */
  readonly unprefixed?: readonly string[];
}

/** The host's bodies nest a few levels; deeper JSON is refused before it is walked. */
export const MAX_BODY_DEPTH = 32;

type Json = Record<string, unknown>;
type FieldErrors = Record<string, Message>;

/** Constraints that explain a field best, first; any other failed constraint comes after. */
const PRIORITY = ['isDefined', 'isNotEmpty', 'isObject', 'whitelistValidation'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(parent: string, property: string): string {
  return parent === '' ? property : `${parent}.${property}`;
}

function messageOf(error: ValidationError, path: string): Message {
  const failed = Object.keys(error.constraints ?? {});
  const chosen = PRIORITY.find((c) => failed.includes(c)) ?? failed[0];
  if (chosen === 'whitelistValidation') return msg('hostsim.validation.unknownField', path);
  const context = error.contexts?.[chosen] as FieldMessage | undefined;
  return context ? msg(context.key, path, ...context.args) : msg('hostsim.validation.invalid', path);
}

function collect(error: ValidationError, parent: string, out: FieldErrors, options: ReadOptions): void {
  const path = childPath(parent, error.property);
  if (error.constraints && Object.keys(error.constraints).length > 0) {
    out[path] = messageOf(error, path);
    return;
  }
  const prefix = parent === '' && options.unprefixed?.includes(error.property) ? '' : path;
  for (const child of error.children ?? []) collect(child, prefix, out, options);
}

/** Own keys of the JSON that the transformation dropped (`__proto__`, `constructor`), as unknown fields. */
function collectDropped(plain: unknown, built: unknown, parent: string, out: FieldErrors, options: ReadOptions): void {
  if (typeof plain !== 'object' || plain === null || typeof built !== 'object' || built === null || plain === built) return;
  const isDto = Array.isArray(built) || Object.getPrototypeOf(built) !== Object.prototype;
  if (!isDto) return;
  for (const key of Object.keys(plain)) {
    const path = childPath(parent, key);
    if (!Array.isArray(plain) && !Object.hasOwn(built, key)) {
      out[path] = msg('hostsim.validation.unknownField', path);
      continue;
    }
    const prefix = parent === '' && options.unprefixed?.includes(key) ? '' : path;
    collectDropped((plain as Json)[key], (built as Json)[key], prefix, out, options);
  }
}

function check<T extends object>(dto: DtoClass<T>, plain: Json, forbidUnknown: boolean, options: ReadOptions): T {
  const instance = plainToInstance(dto, plain);
  const errors = Object.create(null) as FieldErrors;
  if (forbidUnknown) collectDropped(plain, instance, '', errors, options);
  const problems = validateSync(instance, {
    whitelist: true, forbidNonWhitelisted: forbidUnknown, forbidUnknownValues: true, validationError: { target: false, value: false },
  });
  for (const problem of problems) collect(problem, '', errors, options);
  if (Object.keys(errors).length > 0) throw invalidFields(errors);
  return instance;
}

/** The JSON body as a checked DTO; unknown fields are 400 like wrong ones. */
export function readBody<T extends object>(req: Request, dto: DtoClass<T>, options: ReadOptions = {}): T {
  const body: unknown = req.body;
  if (!isObject(body)) throw new HttpError('BAD_REQUEST', msg('hostsim.validation.body'));
  if (jsonValueNestsDeeper(body, MAX_BODY_DEPTH)) throw new HttpError('BAD_REQUEST', msg('hostsim.validation.depth', MAX_BODY_DEPTH));
  return check(dto, body, true, options);
}

/**
 * The query parameters as a checked DTO. Parameters the DTO does not name are ignored, as
 * Jira and Confluence ignore them (clients send `expand`, `fields`, … freely).
 */
export function readQuery<T extends object>(req: Request, dto: DtoClass<T>): T {
  const query = Object.fromEntries(Object.entries(req.query as Json));
  return check(dto, query, false, {});
}
