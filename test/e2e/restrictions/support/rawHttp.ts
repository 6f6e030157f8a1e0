// A request with node:http for what fetch cannot do: a chosen local address (127.0.0.2), a path
// sent exactly as written (dot segments, encoded slashes) and repeated headers.
import http from 'node:http';

export interface RawResponse {
  readonly status: number;
  /** Response headers, a repeated one joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RawOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string | string[]>>;
  readonly body?: string | Buffer;
  readonly localAddress?: string;
  readonly bearer?: string;
  readonly basic?: readonly [string, string];
}

/** `url` is the host's base URL (with context path); `rawPath` is appended unchanged. */
export function rawRequest(url: string, rawPath: string, options: RawOptions = {}): Promise<RawResponse> {
  const base = new URL(url);
  const headers: Record<string, string | string[]> = { ...(options.headers ?? {}) };
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  if (options.basic) headers.Authorization = `Basic ${Buffer.from(`${options.basic[0]}:${options.basic[1]}`).toString('base64')}`;
  if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: Number(base.port), method: options.method ?? 'GET',
      path: base.pathname.replace(/\/$/, '') + rawPath, headers, localAddress: options.localAddress,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        const received: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) received[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers: received, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
