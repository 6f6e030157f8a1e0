// Asserting the error code of a plugin REST answer: the body carries only the localised message,
// so the code is checked by comparing with the English message of that code (no Accept-Language
// and users with an English locale).
import path from 'node:path';
import { expect } from 'chai';
import type { ErrorCode } from '../../plugin/errors/ErrorCode';
import { httpStatusOf, i18nKeyOf } from '../../plugin/errors/ErrorCode';
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
