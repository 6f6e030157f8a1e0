// What a client can compare between two answers: status, every header but the ones that change by
// themselves (date, connection, the request id), and the body. Two answers with the same print tell a caller nothing
// apart. `spoofedRequest` sends headers fetch will not send as given (Host), through rawRequest.
import type { TestResponse } from '../../../support/hostServer';
import { rawRequest, type RawResponse } from '../../restrictions/support/rawHttp';

/** Headers whose value differs between any two answers, whatever they answer. */
const VOLATILE = new Set(['date', 'connection', 'keep-alive', 'x-arequestid']);

export interface PrintedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
}

/** The print of an answer as one string: equal strings, indistinguishable answers. */
export function printOf(answer: PrintedAnswer): string {
  const headers = Object.entries(answer.headers)
    .filter(([name]) => !VOLATILE.has(name.toLowerCase()))
    .map(([name, value]) => `${name.toLowerCase()}: ${value}`)
    .sort();
  return [String(answer.status), ...headers, '', answer.text].join('\n');
}

/** A fetch answer of the test host as a {@link PrintedAnswer}. */
export function printedFetch(res: TestResponse): PrintedAnswer {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => { headers[name] = value; });
  return { status: res.status, headers, text: res.text };
}

export interface SpoofedOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** A request to `baseUrl + path` with headers sent exactly as given (a `Host` of the caller's choice too). */
export function spoofedRequest(baseUrl: string, path: string, options: SpoofedOptions = {}): Promise<RawResponse> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(options.headers ?? {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  return rawRequest(baseUrl, path, { method: options.method, headers, body });
}
