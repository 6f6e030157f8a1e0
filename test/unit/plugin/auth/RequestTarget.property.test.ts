// Property: for any request target, the path token rules see (canonicalTarget, as the filter
// builds it) is the path express dispatches, to the handler that path names, or the request is
// refused. Checked against a real express app over a real socket, with nested routers and a route
// parameter as the host has them. (Express compares literal segments with the raw path: before
// escapes of plain characters were refused, `my%73elf` reached the catch-all while rules read
// `myself`.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import fc from 'fast-check';
import { canonicalTarget, type CanonicalTarget } from '../../../../plugin/service/auth/RequestTarget';

const CONTEXT = '/jira';
const PIECES = ['rest', 'REST', 'api', '2', 'issue', 'myself', 'TEST-1', 'jira', 'JIRA', '', '.', '..', '%2e', '%2E%2e', '%2f', '%2F',
  '%5c', '\\', ';x=1', '%3b', '%00', '%zz', '%', '%41', '%25', '%25%32%66', '%C3%A9', '%23', '%3f', '#', '#/rest/api/2/issue/TEST-1', '~', '@', ':', '!', "'", '+', '*',
  'my%73elf', '%69ssue', '%32', 'r%65st', '%7E', '%40'];
const PREFIXES = ['/jira', '/JIRA', '/jira/jira', 'http://localhost/jira', 'http://localhost:1/JIRA', 'http://localhost', '', '/'];

type Handler = 'myself' | 'issue' | 'other';
interface Dispatch { readonly path: string; readonly key?: string; readonly handler: Handler }

/** The handler a decoded path (relative to the context) names in the app below; routing is case-insensitive and ignores one trailing slash. */
function handlerOf(path: string): Handler {
  if (/^\/rest\/api\/(2|latest)\/myself\/?$/i.test(path)) return 'myself';
  if (/^\/rest\/api\/(2|latest)\/issue\/[^/]+\/?$/i.test(path)) return 'issue';
  return 'other';
}
interface Answer { readonly canonical: CanonicalTarget | null; readonly dispatched: Dispatch | null }

describe('canonicalTarget against express routing', () => {
  let server: http.Server;
  let port: number;

  before(async () => {
    const host = express.Router();
    // As the token filter does: one reading of the target, stored for the handler to report.
    host.use((req, res, next) => { res.locals.canonical = canonicalTarget(req.originalUrl, req.baseUrl + req.path, CONTEXT); next(); });
    const api = express.Router();
    const report = (handler: Handler) => (req: express.Request, res: express.Response) => {
      const dispatched: Dispatch = { path: safeDecode(req.baseUrl + req.path), key: req.params.key as string | undefined, handler };
      res.json({ canonical: res.locals.canonical, dispatched } satisfies Answer);
    };
    api.get('/issue/:key', report('issue'));
    api.get('/myself', report('myself'));
    host.use(['/rest/api/2', '/rest/api/latest'], api);
    host.use(report('other'));
    const app = express();
    app.use(CONTEXT, host);
    app.use((_req, res) => { res.json({ canonical: null, dispatched: null } satisfies Answer); });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function send(target: string): Promise<{ status: number; body: Answer | null }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: target }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => { text += c; });
        res.on('end', () => {
          let body: Answer | null = null;
          try { body = JSON.parse(text) as Answer; } catch { body = null; }
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('should give rules the dispatched path, or refuse the target', async () => {
    const target = fc.tuple(fc.constantFrom(...PREFIXES), fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 8 }), fc.constantFrom('', '?x=1', '?a=%2f&b=..', '#q'))
      .map(([prefix, pieces, query]) => `${prefix}/${pieces.join('/')}${query}`)
      .filter((t) => /^[\u0021-\u00ff]+$/.test(t) && (t.startsWith('/') || t.startsWith('http')));
    let compared = 0;
    await fc.assert(fc.asyncProperty(target, async (t) => {
      const { status, body } = await send(t);
      if (status >= 400 || !body || !body.dispatched || !body.canonical) return; // not dispatched to a handler
      const canonical = body.canonical;
      if (!canonical.ok) return; // refused before any rule
      compared++;
      const dispatched = stripContext(body.dispatched.path);
      expect(canonical.path, `${t}: dispatched ${dispatched}`).to.equal(dispatched);
      expect(body.dispatched.handler, `${t}: handler of ${canonical.path}`).to.equal(handlerOf(canonical.path));
      if (body.dispatched.key !== undefined) expect(canonical.path.endsWith(`/${body.dispatched.key}`), t).to.equal(true);
    }), { numRuns: 400, seed: 20261130 });
    expect(compared, 'targets that reached a handler unrefused').to.be.greaterThan(20);
  });

  it('should refuse the attacks of the security review', async () => {
    for (const t of ['/jira/rest/api/2/myself#/rest/api/2/issue/TEST-1', 'http://localhost/jira/rest/api/2/myself#/rest/api/2/issue/TEST-1',
      '/jira/rest/api/2/issue/TEST-1/%2e%2e/%2e%2e/myself', '/jira/rest/api/2/issue/TEST-1%2f..%2f..%2fmyself',
      '/jira/rest/api/2/my%73elf', '/jira/r%65st/api/2/myself', '/jira/rest/api/%32/issue/TEST-1']) {
      const { body } = await send(t);
      expect(body?.canonical?.ok ?? false, t).to.equal(false);
    }
  });
});

function safeDecode(path: string): string {
  try { return decodeURIComponent(path); } catch { return path; }
}

function stripContext(path: string): string {
  if (path.slice(0, CONTEXT.length).toLowerCase() !== CONTEXT) return path;
  const rest = path.slice(CONTEXT.length);
  return rest === '' ? '/' : rest;
}
