// Issue 11, finding 7 and part E: user JSON with prototype keys. Settings took inherited names
// for settings (`{"__proto__":1}` and `{"__defineGetter__":1}` → 500, `{"hasOwnProperty":"x"}`
// echoed back); bodies with "__proto__" lost it as an unknown field. Now every plugin REST body
// with `__proto__`, `constructor` or `prototype` at any depth is a 400 naming the path, other
// inherited names are unknown fields, and nothing changes.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import type { TestResponse } from '../../support/hostServer';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

forEachDatabase('prototype keys in REST bodies', (kind) => {
  let e2e: E2eEnv;
  let tokenId: number;
  before(async () => {
    e2e = await startE2e('jira', kind);
    tokenId = (await e2e.createToken('alice', { tokenDescription: 'kept' })).id;
  });
  after(() => stopAndCheckLeaks(e2e));

  /** Sends the JSON text as it is (JSON.stringify would drop a real "__proto__" key). */
  const send = (method: string, path: string, json: string, user: 'admin' | 'alice' = 'admin'): Promise<TestResponse> =>
    e2e.as(user, path, { method, body: json, headers: { 'Content-Type': 'application/json' } });

  const expect400 = (res: TestResponse, field: string): void => {
    expect(res.status, res.text).to.equal(400);
    expect(res.json.errorMessage).to.be.a('string');
    expect(Object.keys(res.json.errors ?? {}), res.text).to.include(field);
  };

  const state = async (): Promise<string> => JSON.stringify({
    settings: (await e2e.as('admin', `${API}/admin/settings`)).json,
    tokens: (await e2e.as('admin', `${API}/user/tokensByFilter`)).json.content,
  });

  it('should refuse settings named __proto__, __defineGetter__ and constructor with 400, not 500', async () => {
    const before = await state();
    expect400(await send('PUT', `${API}/admin/settings`, '{"__proto__":1}'), '__proto__');
    expect400(await send('PUT', `${API}/admin/settings`, '{"__defineGetter__":1}'), '__defineGetter__');
    expect400(await send('PUT', `${API}/admin/settings`, '{"constructor":{"prototype":{"maxTokensPerUser":1}}}'), 'constructor');
    expect400(await send('PUT', `${API}/admin/settings`, '{"maxTokensPerUser":5,"__proto__":{"maxTokensPerUser":1}}'), '__proto__');
    expect(await state()).to.equal(before);
  });

  it('should refuse "hasOwnProperty" as an unknown setting instead of echoing it', async () => {
    const before = await state();
    const res = await send('PUT', `${API}/admin/settings`, '{"hasOwnProperty":"x","toString":"y"}');
    expect400(res, 'hasOwnProperty');
    expect(Object.keys(res.json.errors)).to.include('toString');
    const settings = (await e2e.as('admin', `${API}/admin/settings`)).json;
    expect(Object.keys(settings)).not.to.include.members(['hasOwnProperty', 'toString']);
    expect(await state()).to.equal(before);
  });

  it('should refuse a token create with "__proto__" at the top or inside the restrictions', async () => {
    const before = await state();
    expect400(await send('POST', `${API}/user/token`, '{"tokenDescription":"p1","__proto__":{"tokenScope":2}}'), '__proto__');
    expect400(await send('POST', `${API}/user/token`,
      '{"tokenDescription":"p2","restrictions":{"rules":[{"method":"GET","urlPattern":".*","__proto__":{"x":1}}]}}'), 'restrictions.rules[0].__proto__');
    expect400(await send('POST', `${API}/user/token`, '{"tokenDescription":"p3","restrictions":{"constructor":{"prototype":1}}}'),
      'restrictions.constructor');
    expect400(await send('POST', `${API}/user/token`, '{"tokenDescription":"p4","hasOwnProperty":1}'), 'hasOwnProperty');
    expect(await state()).to.equal(before);
  });

  it('should refuse a PATCH with prototype keys and keep the token as it was', async () => {
    const before = await state();
    expect400(await send('PATCH', `${API}/user/token/${tokenId}`, '{"tokenDescription":"changed","__proto__":null}', 'alice'), '__proto__');
    expect400(await send('PATCH', `${API}/user/token/${tokenId}`, '{"ipAllowlist":["127.0.0.1"],"prototype":[]}', 'alice'), 'prototype');
    expect400(await send('PATCH', `${API}/user/token/${tokenId}`, '{"tokenDescription":"changed","valueOf":1}', 'alice'), 'valueOf');
    expect(await state()).to.equal(before);
  });

  it('should refuse prototype keys on /rest/api-tokens', async () => {
    const before = await state();
    expect400(await send('POST', '/rest/api-tokens/latest/', '{"label":"l","__proto__":{"label":"m"}}'), '__proto__');
    expect400(await send('POST', '/rest/api-tokens/latest/', '{"label":"l","x":{"constructor":1}}'), 'x.constructor');
    expect(await state()).to.equal(before);
  });

  it('should refuse a rotate with a body it does not understand and keep the secret', async () => {
    const created = await e2e.createToken('alice', { tokenDescription: 'rotate target' });
    for (const json of ['{"__proto__":{}}', '{"constructor":1}', '{"toString":"x"}', '{"tokenDescription":"x"}']) {
      const res = await send('POST', `${API}/user/token/${created.id}/rotate`, json, 'alice');
      expect(res.status, `${json}: ${res.text}`).to.equal(400);
      expect(res.json.errorMessage).to.be.a('string');
    }
    expect((await e2e.req('/rest/api/2/myself', { bearer: created.plainTextToken })).status).to.equal(200);
    const plain = await e2e.as('alice', `${API}/user/token/${created.id}/rotate`, { method: 'POST' });
    expect(plain.status, plain.text).to.equal(200);
    e2e.issued.push(plain.json.plainTextToken);
  });

  it('should still accept the same bodies without the prototype keys', async () => {
    const res = await send('PATCH', `${API}/user/token/${tokenId}`, '{"tokenDescription":"renamed"}', 'alice');
    expect(res.status, res.text).to.equal(200);
    expect(res.json.description).to.equal('renamed');
  });
});
