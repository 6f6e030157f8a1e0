// Every endpoint of /rest/de.resolution.apitokenauth × every kind of caller, on both
// databases and both products, against a real host.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import type { TestRequestOptions } from '../../support/hostServer';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

type Caller = 'anonymous' | 'owner' | 'other' | 'onBehalf' | 'sysadmin' | 'readOnlyToken' | 'ownerToken' | 'sysadminToken';
const CALLERS: readonly Caller[] = ['anonymous', 'owner', 'other', 'onBehalf', 'sysadmin', 'readOnlyToken', 'ownerToken', 'sysadminToken'];

interface Endpoint {
  readonly name: string;
  /** Path and options; `aliceTokenId` is a fresh token of the owner (alice) for each call. */
  request(e2e: E2eEnv, aliceTokenId: number): [string, TestRequestOptions];
  readonly expected: Readonly<Record<Caller, number>>;
}

const row = (anonymous: number, owner: number, other: number, onBehalf: number, sysadmin: number, readOnlyToken: number, ownerToken: number, sysadminToken: number) =>
  ({ anonymous, owner, other, onBehalf, sysadmin, readOnlyToken, ownerToken, sysadminToken });

const ENDPOINTS: readonly Endpoint[] = [
  { name: 'POST /user/token', request: () => [`${API}/user/token`, { method: 'POST', body: { tokenDescription: 'matrix' } }], expected: row(401, 200, 200, 200, 200, 200, 200, 200) },
  { name: 'POST /user/token (read/write scope)', request: () => [`${API}/user/token`, { method: 'POST', body: { tokenScope: 2 } }], expected: row(401, 200, 200, 200, 200, 403, 200, 200) },
  { name: 'GET /user/token', request: () => [`${API}/user/token`, {}], expected: row(401, 200, 200, 200, 200, 200, 200, 200) },
  { name: 'PATCH /user/token/{id}', request: (_e, id) => [`${API}/user/token/${id}`, { method: 'PATCH', body: { tokenDescription: 'renamed' } }], expected: row(401, 200, 404, 200, 200, 403, 200, 200) },
  { name: 'DELETE /user/token/{id}', request: (_e, id) => [`${API}/user/token/${id}`, { method: 'DELETE' }], expected: row(401, 200, 404, 200, 200, 403, 200, 200) },
  // The fresh target outlives the callers' tokens (made earlier, same validity): no token may
  // rotate a token that lives longer than itself (TOKEN_PRIVILEGE_EXCEEDED, docs/api.md "What a token may do").
  { name: 'POST /user/token/{id}/rotate', request: (_e, id) => [`${API}/user/token/${id}/rotate`, { method: 'POST' }], expected: row(401, 200, 404, 200, 200, 403, 403, 403) },
  { name: 'DELETE /user/token/deleteAllFor/{userKey}', request: (e) => [`${API}/user/token/deleteAllFor/${e.users.carol.key}`, { method: 'DELETE' }], expected: row(401, 403, 403, 403, 200, 403, 403, 200) },
  { name: 'GET /user/tokensByFilter', request: () => [`${API}/user/tokensByFilter?limit=5`, {}], expected: row(401, 403, 403, 200, 200, 403, 403, 200) },
  { name: 'GET /user/userKeyByEmail', request: (e) => [`${API}/user/userKeyByEmail?email=${e.users.bob.email}`, {}], expected: row(401, 403, 403, 200, 200, 403, 403, 200) },
  { name: 'GET /admin/settings', request: () => [`${API}/admin/settings`, {}], expected: row(401, 403, 403, 403, 200, 403, 403, 200) },
  { name: 'PUT /admin/settings', request: () => [`${API}/admin/settings`, { method: 'PUT', body: { notifyOnNewIp: true } }], expected: row(401, 403, 403, 403, 200, 403, 403, 200) },
];

for (const product of ['jira', 'confluence'] as const) {
  forEachDatabase(`endpoint × role matrix on ${product}`, (kind) => {
    let e2e: E2eEnv;
    let tokens: { readOnly: string; owner: string; sysadmin: string };

    before(async () => {
      e2e = await startE2e(product, kind);
      tokens = {
        readOnly: (await e2e.createToken('alice', { tokenScope: 1, tokenDescription: 'ro' })).plainTextToken,
        owner: (await e2e.createToken('alice', { tokenDescription: 'rw' })).plainTextToken,
        sysadmin: (await e2e.createToken('admin', { tokenDescription: 'admin rw' })).plainTextToken,
      };
    });
    after(() => stopAndCheckLeaks(e2e));

    function authFor(caller: Caller): Partial<TestRequestOptions> {
      const pw = (u: 'alice' | 'bob' | 'manager' | 'admin') => ({ auth: [e2e.users[u].name, e2e.users[u].password] as const });
      switch (caller) {
        case 'anonymous': return {};
        case 'owner': return pw('alice');
        case 'other': return pw('bob');
        case 'onBehalf': return pw('manager');
        case 'sysadmin': return pw('admin');
        case 'readOnlyToken': return { bearer: tokens.readOnly };
        case 'ownerToken': return { auth: ['alice', tokens.owner] };
        case 'sysadminToken': return { bearer: tokens.sysadmin };
      }
    }

    for (const endpoint of ENDPOINTS) {
      it(`should answer ${endpoint.name} for every caller as specified`, async () => {
        const actual: Record<string, number> = {};
        for (const caller of CALLERS) {
          const fresh = await e2e.createToken('alice', { tokenDescription: 'target' });
          const [path, options] = endpoint.request(e2e, fresh.id);
          const res = await e2e.req(path, { ...options, ...authFor(caller) });
          if (res.json?.plainTextToken) e2e.issued.push(res.json.plainTextToken);
          actual[caller] = res.status;
          if (res.status >= 400) expect(res.json, `${caller}: ${res.text}`).to.have.property('errorMessage').that.is.a('string');
        }
        expect(actual).to.deep.equal(endpoint.expected);
      });
    }
  });
}
