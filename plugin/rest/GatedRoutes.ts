import type { RequestHandler, Router } from 'express';
import { accessOf, type RouteMethod, type RouteRule } from './AdminRoutes';
import type { WebSudoGate } from './WebSudoGate';

/** What a resource registers its routes on (RouteRule.path is the express path pattern). */
export interface RouteRegistrar {
  get(path: string, handler: RequestHandler): void;
  post(path: string, handler: RequestHandler): void;
  put(path: string, handler: RequestHandler): void;
  patch(path: string, handler: RequestHandler): void;
  delete(path: string, handler: RequestHandler): void;
}

/**
 * `router`'s routes, each behind the websudo gate of its entry in `rules`: express matches the
 * request (case, trailing slash, decoded parameters) once, and the gate reads the parameters it
 * decoded. Registering a route the table does not name throws: no route goes without its rule.
 */
export function gatedRoutes(router: Router, rules: readonly RouteRule[], gate: WebSudoGate): RouteRegistrar {
  const add = (method: RouteMethod, register: (path: string, ...handlers: RequestHandler[]) => unknown) => (path: string, handler: RequestHandler): void => {
    const access = accessOf(rules, method, path);
    if (access === undefined) throw new Error(`No websudo rule for ${method} ${path} (plugin/rest/AdminRoutes.ts)`);
    register.call(router, path, gate.forRoute(access), handler);
  };
  return {
    get: add('GET', router.get), post: add('POST', router.post), put: add('PUT', router.put),
    patch: add('PATCH', router.patch), delete: add('DELETE', router.delete),
  };
}
