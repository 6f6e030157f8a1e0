// HTTP requests against a started host, with the three ways a client authenticates:
// Basic (user name + password or API token), Bearer (API token) and the session cookie.

/** One request. Paths are relative to the host's base URL (context path included). */
export interface RequestOptions {
  /** Default `GET`. */
  readonly method?: string;
  /** Sent as JSON (with `Content-Type: application/json`) unless it is a string, which is sent as is. */
  readonly body?: unknown;
  /** HTTP Basic credentials `[user name, password or API token]`. */
  readonly auth?: readonly [string, string];
  /** `Authorization: Bearer <token>`. */
  readonly bearer?: string;
  /** A `Cookie` header, e.g. the `JSESSIONID=…` that {@link Host.login} returns. */
  readonly cookie?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The answer: status, headers, the body as text and, when it is JSON, parsed. */
export interface Response {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

function isConnectionReset(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET';
}

/** Sends one request to an absolute URL. Redirects are not followed (a 302 is returned as it is). */
export async function sendRequest(url: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(`${options.auth[0]}:${options.auth[1]}`).toString('base64')}`;
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  if (options.cookie) headers.Cookie = options.cookie;
  const method = options.method ?? 'GET';
  let res: globalThis.Response;
  try {
    res = await fetch(url, { method, headers, body, redirect: 'manual' });
  } catch (err) {
    // A kept-alive connection the server closed just as it was reused: a browser sends an
    // idempotent request again on a new one, and so does this client (once). A server that
    // really resets requests fails the second time too.
    if (!IDEMPOTENT.has(method.toUpperCase()) || !isConnectionReset(err)) throw err;
    res = await fetch(url, { method, headers, body, redirect: 'manual' });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
