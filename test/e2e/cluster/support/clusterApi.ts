// Small REST helpers shared by the cluster suites: users, tokens and "within 1 s" polling
// against node processes of test/support/cluster.ts.
import { expect } from 'chai';
import { ADMIN, until, type ClusterNode } from '../../../support/cluster';
import type { TestResponse } from '../../../support/hostServer';

export const TOKEN_API = '/rest/de.resolution.apitokenauth/latest';
export const PLUGIN_KEY = 'de.resolution.apitokenauth';

/** docs/data-center.md: a change on one node is honoured on every other node within this time. */
export const PROPAGATION_MS = 1000;

/** Creates a user (in the product's users group) through the host REST API of `node`. */
export async function createUser(node: ClusterNode, name: string, password = `${name}-pw`): Promise<{ name: string; key: string; password: string }> {
  const res = node.product === 'jira'
    ? await node.request('/rest/api/2/user', {
      method: 'POST', auth: ADMIN,
      body: { name, password, emailAddress: `${name}@example.com`, displayName: `User ${name}` },
    })
    : await node.request('/rest/api/admin/user', {
      method: 'POST', auth: ADMIN,
      body: { userName: name, password, email: `${name}@example.com`, fullName: `User ${name}` },
    });
  expect(res.status, res.text).to.be.oneOf([200, 201]);
  return { name, key: String(res.json.key ?? res.json.userKey), password };
}

export interface CreatedToken {
  readonly id: number;
  readonly plainTextToken: string;
}

/** Creates a token as `auth` on `node` (POST /user/token) and expects 200. */
export async function createToken(node: ClusterNode, auth: readonly [string, string], body: Record<string, unknown> = {}): Promise<CreatedToken> {
  const res = await node.request(`${TOKEN_API}/user/token`, { method: 'POST', auth, body: { tokenDescription: 'cluster test', ...body } });
  expect(res.status, res.text).to.equal(200);
  expect(res.json.plainTextToken, res.text).to.be.a('string');
  return { id: Number(res.json.id), plainTextToken: String(res.json.plainTextToken) };
}

/**
 * Waits until the plugin's token API answers on `node` (the plugin core may still be starting
 * or unfinished): creates and deletes a probe token as admin.
 */
export async function waitForTokenApi(node: ClusterNode, timeoutMs = 20_000): Promise<void> {
  const res = await until(async () => {
    const r = await node.request(`${TOKEN_API}/user/token`, { method: 'POST', auth: ADMIN, body: { tokenDescription: 'readiness probe' } });
    return typeof r.json?.plainTextToken === 'string' ? r : null;
  }, timeoutMs, 200);
  await node.request(`${TOKEN_API}/user/token/${String(res.json.id)}`, { method: 'DELETE', auth: ADMIN });
}

/** The product's "current user" resource: Jira `/rest/api/2/myself`, Confluence `/rest/api/user/current`. */
export function myselfPath(node: ClusterNode): string {
  return node.product === 'jira' ? '/rest/api/2/myself' : '/rest/api/user/current';
}

/** The current user with a Bearer token (or Basic `user:token` when `user` is given). */
export function myself(node: ClusterNode, token: string, user?: string): Promise<TestResponse> {
  return node.request(myselfPath(node), user === undefined ? { bearer: token } : { auth: [user, token] });
}

/** Resolves when `node` answers `myself` with `status` for this token, polling for at most `timeoutMs`. */
export async function expectTokenStatus(node: ClusterNode, token: string, status: number, timeoutMs = PROPAGATION_MS, user?: string): Promise<void> {
  let last = 0;
  try {
    await until(async () => {
      last = (await myself(node, token, user)).status;
      return last === status;
    }, timeoutMs);
  } catch {
    expect.fail(`${node.nodeId} answered ${last}, not ${status}, within ${timeoutMs} ms`);
  }
}

/** The owner's tokens as `GET /user/token` lists them. */
export async function listTokens(node: ClusterNode, auth: readonly [string, string]): Promise<Array<Record<string, unknown>>> {
  const res = await node.request(`${TOKEN_API}/user/token`, { auth });
  expect(res.status, res.text).to.equal(200);
  return res.json as Array<Record<string, unknown>>;
}
