// Asserting the error code of a plugin REST answer: the body carries only the localised message,
// so the code is checked by comparing with the English message of that code (no Accept-Language
// and users with an English locale).
import path from 'node:path';
import { expect } from 'chai';
import { ERROR_CODES, httpStatusOf, i18nKeyOf, type ErrorCode } from '../../plugin/errors/ErrorCode';
import { FakeI18nResolver } from './spi-fakes/FakeServices';

const i18n = new FakeI18nResolver(path.resolve(__dirname, '..', '..', 'i18n', 'apitokenauth'));

/** The English message of an error code (no arguments). */
export function englishMessage(code: ErrorCode): string {
  return i18n.getText('en', i18nKeyOf(code));
}

/** Asserts the status of `code` and its message; `what` names the request in a failure. */
export function expectError(res: { status: number; body?: unknown; text?: string }, code: ErrorCode, what = ''): void {
  expect(res.status, `${what} ${res.text ?? JSON.stringify(res.body)}`).to.equal(httpStatusOf(code));
  const body = (typeof res.body === 'object' && res.body !== null ? res.body : JSON.parse(res.text ?? '{}')) as { errorMessage?: unknown };
  expect(body.errorMessage, `${what} error code`).to.equal(englishMessage(code));
}

/**
 * What an answer was, for tables of outcomes: 200 for any 2xx, else the error code whose status
 * and English message match, else `<status> <message>` (an answer no code explains).
 */
export function outcomeOf(res: { status: number; text: string }): 200 | ErrorCode | string {
  if (res.status >= 200 && res.status < 300) return 200;
  let message: unknown;
  try { message = (JSON.parse(res.text) as { errorMessage?: unknown }).errorMessage; } catch { message = res.text.slice(0, 80); }
  const codes = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => httpStatusOf(c) === res.status && englishMessage(c) === message);
  return codes.length > 0 ? codes.join('|') : `${res.status} ${String(message)}`;
}
