// Every administrative call of the token API, as a table for the websudo suites: the calls a
// system administrator makes about other people's tokens, user-less tokens and the settings
// (docs/api.md, "Websudo"). Each call runs against a fresh fixture: one token of alice's.
import { expect } from 'chai';
import type { TestRequestOptions, TestResponse } from '../../../support/hostServer';
import { API, type E2eEnv } from './e2eHost';

/** What a call acts on: a token alice made for herself. */
export interface AdminFixture {
  readonly tokenId: number;
  readonly publicId: string;
  readonly plainText: string;
}

export interface AdminCall {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path(fx: AdminFixture, e2e: E2eEnv): string;
  body?(fx: AdminFixture, e2e: E2eEnv): unknown;
  /** The status the call answers inside a websudo window (or with a password or a token). */
  readonly ok: number;
}

/** Create and regenerate answers carry a secret: remembered for the suite's leak check. */
export function rememberSecrets(e2e: E2eEnv, res: TestResponse): void {
  const plain = res.json?.plainTextToken;
  if (typeof plain === 'string') e2e.issued.push(plain);
}

export const ADMIN_CALLS: readonly AdminCall[] = [
  { name: 'read the settings', method: 'GET', path: () => `${API}/admin/settings`, ok: 200 },
  { name: 'change the settings', method: 'PUT', path: () => `${API}/admin/settings`, body: () => ({ maxTokensPerUser: 99 }), ok: 200 },
  { name: 'list everyone\'s tokens', method: 'GET', path: () => `${API}/user/tokensByFilter?limit=10`, ok: 200 },
  { name: 'export everyone\'s tokens as CSV', method: 'GET', path: () => `${API}/user/tokensByFilter?format=csv`, ok: 200 },
  { name: 'find a user key by e-mail', method: 'GET', path: (_fx, e2e) => `${API}/user/userKeyByEmail?email=${encodeURIComponent(e2e.users.alice.email)}`, ok: 200 },
  { name: 'look up a leaked token', method: 'POST', path: () => `${API}/admin/tokens/lookup`, body: (fx) => ({ publicId: fx.publicId }), ok: 200 },
  { name: 'revoke tokens in bulk', method: 'POST', path: () => `${API}/admin/tokens/delete`, body: (fx) => ({ ids: [fx.tokenId] }), ok: 200 },
  { name: 'delete every token of a user', method: 'DELETE', path: (_fx, e2e) => `${API}/user/token/deleteAllFor/${e2e.users.alice.key}`, ok: 200 },
  { name: 'create a token on behalf of a user', method: 'POST', path: () => `${API}/user/token`, body: (_fx, e2e) => ({ tokenDescription: 'for alice', tokenForUserKey: e2e.users.alice.key }), ok: 200 },
  { name: 'create a user-less token', method: 'POST', path: () => `${API}/user/token`, body: () => ({ tokenDescription: 'robot', userless: true, restrictions: '[GET].*/rest/api/2/myself' }), ok: 200 },
  // The administrator's own token, but its secret runs as other users: a system administrator's power.
  { name: 'create a sudo token', method: 'POST', path: () => `${API}/user/token`, body: () => ({ tokenDescription: 'support', sudo: true }), ok: 200 },
  { name: 'rename another user\'s token', method: 'PATCH', path: (fx) => `${API}/user/token/${fx.tokenId}`, body: () => ({ tokenDescription: 'renamed by admin' }), ok: 200 },
  { name: 'regenerate another user\'s token', method: 'POST', path: (fx) => `${API}/user/token/${fx.tokenId}/rotate`, ok: 200 },
  { name: 'show another user\'s token\'s snippets', method: 'GET', path: (fx) => `${API}/user/token/${fx.tokenId}/snippets`, ok: 200 },
  { name: 'delete another user\'s token', method: 'DELETE', path: (fx) => `${API}/user/token/${fx.tokenId}`, ok: 200 },
];

/** What the table needs of the host once: sudo tokens allowed (set with the admin's password). */
export async function prepareAdminCalls(e2e: E2eEnv): Promise<void> {
  const res = await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } });
  expect(res.status, res.text).to.equal(200);
}

/** A fresh token of alice's, made with her password. */
export async function adminFixture(e2e: E2eEnv, label: string): Promise<AdminFixture> {
  const created = await e2e.createToken('alice', { tokenDescription: `target of ${label}` });
  return { tokenId: created.id, publicId: created.plainTextToken.slice('apitok_'.length, 'apitok_'.length + 12), plainText: created.plainTextToken };
}

/** Sends `call` with `auth` (a session cookie, Basic or Bearer) and remembers any secret it returns. */
export async function sendAdminCall(e2e: E2eEnv, call: AdminCall, fx: AdminFixture, auth: TestRequestOptions): Promise<TestResponse> {
  const body = call.body?.(fx, e2e);
  const res = await e2e.req(call.path(fx, e2e), { ...auth, method: call.method, ...(body === undefined ? {} : { body }) });
  rememberSecrets(e2e, res);
  return res;
}

/**
 * Everything an administrative call could change, read with the admin's password: every token
 * (user-less ones included), the settings and the audit events — but those of token use, which
 * the plugin writes in batches after the answer (a suite's own use of a token may land any time).
 */
export async function adminStateSnapshot(e2e: E2eEnv): Promise<string> {
  const tokens = await e2e.as('admin', `${API}/user/tokensByFilter?limit=50`);
  const settings = await e2e.as('admin', `${API}/admin/settings`);
  const audit = await e2e.as('admin', '/rest/auditing/1.0/events?limit=1000');
  expect([tokens.status, settings.status, audit.status]).to.deep.equal([200, 200, 200]);
  return JSON.stringify({ tokens: tokens.json.content, total: tokens.json.total, settings: settings.json, audit: (audit.json.entities as Array<{ action?: unknown; id?: unknown }>).filter((e) => e.action !== 'token.used').map((e) => e.id) });
}

/**
 * A cookie session of `user`, signed in by `POST /rest/auth/1/session` (no websudo window yet),
 * with the header the pages send so that the host's XSRF rule lets its changes through.
 */
export async function sessionOf(e2e: E2eEnv, user: keyof E2eEnv['users']): Promise<TestRequestOptions & { cookie: string }> {
  return { cookie: await e2e.host.login(e2e.users[user].name, e2e.users[user].password), headers: { 'X-Atlassian-Token': 'no-check' } };
}
