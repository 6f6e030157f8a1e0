// A minimal host for the plugin's unit tests: mounts the plugin's filter and REST router the way
// the host's loader does (under the context path), with a tiny password Basic login after the
// filter and a `/rest/api/2/myself` echo resource. Uses only SPI fakes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler, type Router } from 'express';
import type { PluginInstance } from '../../../../host-sim/spi';
import { createActivate } from '../../../../plugin';
import type { PluginOptions } from '../../../../plugin/PluginOptions';
import { createFakeHost, type FakeHost } from '../../../support/spi-fakes';

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

export interface PluginApp {
  readonly host: FakeHost;
  readonly plugin: PluginInstance;
  readonly url: string;
  request(method: string, path: string, options?: { auth?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<TestResponse>;
  /** Sends `target` verbatim on the request line (fetch would drop a fragment and normalise dots). */
  requestTarget(method: string, target: string, options?: { auth?: string }): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

export async function startPluginApp(options: PluginOptions = {}, existingHost?: FakeHost): Promise<PluginApp> {
  const host = existingHost ?? await createFakeHost();
  const plugin = await createActivate({ auditFlushIntervalMs: 50, ...options })(host.context);
  const ctx = host.context.contextPath;
  const app = express();
  // As the descriptor says: the filter sees every URL under the context path.
  app.use(ctx || '/', plugin.modules['token-auth-filter'] as RequestHandler);
  app.use(ctx || '/', (req, res, next) => {
    if (req.principal || !req.headers.authorization?.startsWith('Basic ')) return next();
    const decoded = Buffer.from(req.headers.authorization.slice(6), 'base64').toString();
    const colon = decoded.indexOf(':');
    host.users.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1)).then((user) => {
      if (!user) {
        // The host's password check: a failure counts on the user's failed-login counter.
        void host.login.recordFailedLogin(decoded.slice(0, colon));
        res.status(401).json({ errorMessage: 'password login failed' });
        return;
      }
      req.principal = { user, method: 'password' };
      next();
    }, next);
  });
  const router = plugin.modules['token-rest'] as Router;
  app.use(`${ctx}/rest/de.resolution.apitokenauth/1.0`, router);
  app.use(`${ctx}/rest/de.resolution.apitokenauth/latest`, router);
  app.all(`${ctx}/rest/api/2/myself`, (req, res) => {
    if (!req.principal) { res.status(401).json({ errorMessage: 'anonymous' }); return; }
    res.json({ name: req.principal.user.name, key: req.principal.user.key, method: req.principal.method, credentialId: req.principal.credentialId ?? null });
  });
  app.get(`${ctx}/secure/ViewProfile.jspa`, (req, res) => {
    res.json({ page: 'profile', user: req.principal?.user.name ?? null });
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ctx}`;
  return {
    host, plugin, url,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.auth) headers.authorization = opts.auth;
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) { body = JSON.stringify(opts.body); headers['content-type'] = 'application/json'; }
      const res = await fetch(url + path, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = undefined;
      try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    requestTarget(method, target, opts = {}) {
      const { port } = server.address() as AddressInfo;
      return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: opts.auth ? { authorization: opts.auth } : {} }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => { text += c; });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        req.end();
      });
    },
    async close() {
      await plugin.deactivate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!existingHost) await host.close();
    },
  };
}

export const API = '/rest/de.resolution.apitokenauth/latest';
