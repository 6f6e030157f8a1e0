// The websudo gate of each route comes from one table per token API (plugin/rest/AdminRoutes.ts),
// put in front of the route when it is registered (gatedRoutes), so express alone matches
// requests. The tables must name exactly the routes the routers register, in their order, and a
// route without an entry must not register at all.
import { expect } from 'chai';
import type { Router } from 'express';
import { Router as createRouter } from 'express';
import { API_TOKENS_ROUTES, TOKEN_REST_ROUTES, type RouteRule } from '../../../plugin/rest/AdminRoutes';
import { gatedRoutes } from '../../../plugin/rest/GatedRoutes';
import type { WebSudoGate } from '../../../plugin/rest/WebSudoGate';
import { startPluginApp, type PluginApp } from './support/pluginApp';

interface RegisteredRoute { readonly method: string; readonly path: string }

/** The routes an express Router registers, in order (its own `stack`, one layer per route and method). */
function registeredRoutes(router: Router): RegisteredRoute[] {
  const stack = (router as unknown as { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> }).stack;
  return stack.flatMap((layer) => (layer.route
    ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => ({ method: m.toUpperCase(), path: layer.route!.path }))
    : []));
}

const named = (rules: readonly RouteRule[]): RegisteredRoute[] => rules.map((r) => ({ method: r.method, path: r.path }));

describe('AdminRoutes', () => {
  let app: PluginApp;
  before(async () => { app = await startPluginApp(); });
  after(async () => { await app.close(); });

  it('should name every route of the resolution API, in the router\'s order', () => {
    expect(named(TOKEN_REST_ROUTES)).to.deep.equal(registeredRoutes(app.plugin.modules['token-rest'] as Router));
  });

  it('should name every route of /rest/api-tokens, in the router\'s order', () => {
    expect(named(API_TOKENS_ROUTES)).to.deep.equal(registeredRoutes(app.plugin.modules['api-tokens-rest'] as Router));
  });

  it('should refuse to register a route its table does not name, and put the gate in front of one it names', () => {
    const gates: string[] = [];
    const gate = { forRoute: (access: string) => { gates.push(access); return (_req: unknown, _res: unknown, next: () => void) => next(); } } as unknown as WebSudoGate;
    const router = createRouter();
    const routes = gatedRoutes(router, TOKEN_REST_ROUTES, gate);
    const noop = () => undefined;
    expect(() => routes.get('/admin/secrets', noop)).to.throw(/No websudo rule/);
    expect(() => routes.post('/admin/settings', noop), 'PUT is named, POST is not').to.throw(/No websudo rule/);
    routes.put('/admin/settings', noop);
    routes.delete('/user/token/:id', noop);
    expect(gates).to.deep.equal(['systemAdmin', 'tokenById']);
    expect(registeredRoutes(router)).to.deep.equal([{ method: 'PUT', path: '/admin/settings' }, { method: 'DELETE', path: '/user/token/:id' }]);
  });
});
