// What a client can compare between two answers: status, every header but the ones that change by
// themselves (date, connection, the request id), and the body. Two answers with the same print tell a caller nothing
// apart. `spoofedRequest` sends headers fetch will not send as given (Host), over node:http.
import http from 'node:http';
import type { TestResponse } from '../../../support/hostServer';

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
export function spoofedRequest(baseUrl: string, path: string, options: SpoofedOptions = {}): Promise<PrintedAnswer & { readonly json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const base = new URL(baseUrl);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: Number(base.port), method: options.method ?? 'GET', path: base.pathname.replace(/\/$/, '') + path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        const printed: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) printed[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers: printed, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
