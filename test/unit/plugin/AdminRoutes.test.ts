// The websudo gate reads one table per token API (plugin/rest/AdminRoutes.ts). The tables must
// name exactly the routes the routers register, in their order, and match a request path as
// express does: a route added without its entry would count as administrative (deny by default),
// and a path read differently could reach a resource under another entry's rule.
import { expect } from 'chai';
import type { Router } from 'express';
import { API_TOKENS_ROUTES, matchRoute, TOKEN_REST_ROUTES, UNLISTED_ROUTE, type RouteRule } from '../../../plugin/rest/AdminRoutes';
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

  it('should match paths as express does: any case, one trailing slash, decoded ids, HEAD as GET', () => {
    expect(matchRoute(TOKEN_REST_ROUTES, 'GET', '/ADMIN/Settings/').access).to.equal('systemAdmin');
    expect(matchRoute(TOKEN_REST_ROUTES, 'HEAD', '/user/tokensByFilter').access).to.equal('onBehalf');
    expect(matchRoute(TOKEN_REST_ROUTES, 'DELETE', '/user/token/deleteAllFor/JIRAUSER10100')).to.deep.equal({ access: 'systemAdmin', params: { userKey: 'JIRAUSER10100' } });
    expect(matchRoute(TOKEN_REST_ROUTES, 'POST', '/user/token/%31%32/rotate')).to.deep.equal({ access: 'tokenById', params: { id: '12' } });
    expect(matchRoute(TOKEN_REST_ROUTES, 'GET', '/user/token/').access).to.equal('own');
    expect(matchRoute(API_TOKENS_ROUTES, 'DELETE', '/all').access).to.equal('own');
  });

  it('should count a route no table names as administrative', () => {
    expect(UNLISTED_ROUTE).to.equal('systemAdmin');
    for (const [method, path] of [['GET', '/admin/secrets'], ['GET', '/user//token'], ['OPTIONS', '/admin/settings'], ['GET', '/user/token/%zz/snippets']]) {
      expect(matchRoute(TOKEN_REST_ROUTES, method, path).access, `${method} ${path}`).to.equal(UNLISTED_ROUTE);
    }
  });
});
