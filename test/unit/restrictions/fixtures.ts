// Shared helpers for the restrictions unit tests.
import { expect } from 'chai';
import { compileRestrictions, CompileOptions, CompiledRestrictions, parseRestrictions, RestrictedRequest, TokenRestrictions } from '../../../plugin/restrictions';

/** A request with harmless defaults, overridden by `over`. */
export function request(over: Partial<RestrictedRequest> = {}): RestrictedRequest {
  return { method: 'GET', path: '/rest/api/2/myself', query: {}, headers: {}, ip: '127.0.0.1', ...over };
}

/** Parses `input` and fails the test when it does not validate. */
export function parsed(input: unknown): TokenRestrictions {
  const result = parseRestrictions(input);
  if (!result.ok) expect.fail(`expected valid restrictions, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

/** Parses and compiles `input`. */
export function compiled(input: unknown, options?: CompileOptions): CompiledRestrictions {
  return compileRestrictions(parsed(input), options);
}

/** The error codes of a parse that must fail. */
export function errorCodes(input: unknown, limits?: Parameters<typeof parseRestrictions>[1]): string[] {
  const result = parseRestrictions(input, limits);
  if (result.ok) expect.fail(`expected errors, got ${JSON.stringify(result.value)}`);
  return result.errors.map((e) => e.code);
}

/** The refusal reason, or 'ALLOWED'. */
export function outcome(c: CompiledRestrictions, req: RestrictedRequest): string {
  const d = c.evaluate(req);
  return d.allowed ? 'ALLOWED' : d.reason;
}
