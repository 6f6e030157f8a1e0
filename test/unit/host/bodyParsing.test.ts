// The host's JSON body parser: a body nested deeper than MAX_JSON_DEPTH is refused with 400
// JSON_TOO_DEEP before anything after the parser runs, whether the text arrives in UTF-8
// (scanned before parsing), in another charset, or was parsed already by a plugin filter.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import express, { type ErrorRequestHandler } from 'express';
import { jsonBody } from '../../../host-sim/web/bodyParsing';
import { MAX_JSON_DEPTH } from '../../../host-sim/web/jsonDepth';
import { HttpError } from '../../../host-sim/rest/HttpError';

const arrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('jsonBody', () => {
  let server: Server;
  let base: string;
  /** What the route after the parser saw, or the error the parser passed on. */
  let seen: { body?: unknown; reached: boolean; error?: { code?: string; type?: string; status?: number } };

  before(async () => {
    const app = express();
    // A stand-in for a plugin filter that read the body first (as the token filter does for body rules).
    app.use('/pre-read', (req, _res, next) => {
      req.body = JSON.parse(req.headers['x-pre-read'] as string) as unknown;
      (req as { _body?: boolean })._body = true;
      next();
    });
    // One that parsed it with its own express.json and left no mark but the consumed stream.
    app.use('/filter-parsed', express.json({ limit: '1mb' }));
    app.use(jsonBody());
    app.use((req, res) => {
      seen = { reached: true, body: req.body };
      res.status(204).end();
    });
    const onError: ErrorRequestHandler = (err: HttpError & { type?: string }, req, res, _next) => {
      seen = { reached: false, body: req.body, error: { code: err.code, type: err.type, status: err.status } };
      res.status(err.status ?? 500).end();
    };
    app.use(onError);
    await new Promise<void>((resolve) => { server = app.listen(0, '127.0.0.1', () => resolve()); });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => { await new Promise((resolve) => server.close(resolve)); });
  beforeEach(() => { seen = { reached: false }; });

  const post = async (body: string | Uint8Array, contentType = 'application/json'): Promise<number> => {
    const res = await fetch(`${base}/`, { method: 'POST', headers: { 'Content-Type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });
    await res.arrayBuffer();
    return res.status;
  };

  it('should pass a body nested exactly to the limit on, parsed', async () => {
    expect(await post(arrays(MAX_JSON_DEPTH))).to.equal(204);
    expect(seen.reached).to.equal(true);
    expect(JSON.stringify(seen.body)).to.equal(arrays(MAX_JSON_DEPTH));
  });

  it('should refuse a UTF-8 body one level deeper with 400 JSON_TOO_DEEP, and drop it', async () => {
    for (const text of [arrays(MAX_JSON_DEPTH + 1), `{"tokenDescription":${arrays(2000)}}`, `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`]) {
      expect(await post(text)).to.equal(400);
      expect(seen.reached).to.equal(false);
      expect(seen.error?.code).to.equal('JSON_TOO_DEEP');
      expect(seen.body).to.equal(undefined);
    }
    expect(await post(arrays(3000), 'application/vnd.api+json; charset=utf-8')).to.equal(400);
    expect(seen.error?.code).to.equal('JSON_TOO_DEEP');
  });

  it('should refuse a deep body in another charset (walked after parsing)', async () => {
    expect(await post(Buffer.from(`{"a":${arrays(2000)}}`, 'utf16le'), 'application/json; charset=utf-16le')).to.equal(400);
    expect(seen.error?.code).to.equal('JSON_TOO_DEEP');
    expect(await post(Buffer.from(`{"a":${arrays(3)}}`, 'utf16le'), 'application/json; charset=utf-16le')).to.equal(204);
    expect(seen.body).to.deep.equal({ a: [[[]]] });
  });

  it('should refuse a deep body a filter parsed before it', async () => {
    const res = await fetch(`${base}/pre-read`, { method: 'POST', headers: { 'X-Pre-Read': `{"a":${arrays(2000)}}` } });
    expect(res.status).to.equal(400);
    expect(seen.error?.code).to.equal('JSON_TOO_DEEP');
    const ok = await fetch(`${base}/pre-read`, { method: 'POST', headers: { 'X-Pre-Read': '{"a":[1]}' } });
    expect(ok.status).to.equal(204);
    expect(seen.body).to.deep.equal({ a: [1] });
    const parsed = await fetch(`${base}/filter-parsed`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `{"a":${arrays(2000)}}` });
    expect(parsed.status).to.equal(400);
    expect(seen.error?.code).to.equal('JSON_TOO_DEEP');
    const parsedOk = await fetch(`${base}/filter-parsed`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":[2]}' });
    expect(parsedOk.status).to.equal(204);
    expect(seen.body).to.deep.equal({ a: [2] });
  });

  it('should leave other outcomes as they were: no body, brackets in strings, malformed and too large', async () => {
    const get = await fetch(`${base}/`);
    expect(get.status).to.equal(204);
    expect(seen.body).to.equal(undefined);
    expect(await post(`{"a":"${'['.repeat(5000)}"}`)).to.equal(204);
    expect(await post(`{"a":${'['.repeat(10)}`)).to.equal(400);
    expect(seen.error?.type).to.equal('entity.parse.failed');
    expect(await post(`{"a":"${'x'.repeat(1024 * 1024)}"}`)).to.equal(413);
    expect(seen.error?.type).to.equal('entity.too.large');
    expect(await post('[1]', 'text/plain')).to.equal(204);
    expect(seen.body).to.equal(undefined);
  });
});
