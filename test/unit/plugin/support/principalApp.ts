// The plugin's two token REST APIs behind a stub authentication that installs a given principal:
// for rules that depend on principal details the token filter never lets through (a sudo
// principal on the token API, a principal with missing details).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import type { AuthenticatedPrincipal, PluginInstance } from '../../../../host-sim/spi';
import { parseToken } from '../../../../plugin/token/TokenFormat';
import type { TestResponse } from './pluginApp';

export interface PrincipalApp {
  /** The principal of the next requests (null: anonymous). */
  principal: AuthenticatedPrincipal | null;
  request(method: string, path: string, body?: unknown): Promise<TestResponse>;
  close(): Promise<void>;
}

export const API_TOKENS = '/rest/api-tokens/latest';

/**
 * The public id of a plain token, as the filter puts it into a token principal's details: the
 * token API refuses a principal whose token no longer has it (CallerTokenCheck).
 */
export function publicIdOf(plainTextToken: string): string {
  const parsed = parseToken(plainTextToken);
  if (parsed.kind !== 'valid') throw new Error('not a valid token');
  return parsed.token.publicId;
}

export async function startPrincipalApp(plugin: PluginInstance): Promise<PrincipalApp> {
  const state: { principal: AuthenticatedPrincipal | null } = { principal: null };
  const app = express();
  app.use((req, _res, next) => {
    if (state.principal) req.principal = state.principal;
    next();
  });
  app.use('/rest/de.resolution.apitokenauth/latest', plugin.modules['token-rest'] as Router);
  app.use(API_TOKENS, plugin.modules['api-tokens-rest'] as Router);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get principal() { return state.principal; },
    set principal(p) { state.principal = p; },
    async request(method, path, body) {
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown;
      try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
