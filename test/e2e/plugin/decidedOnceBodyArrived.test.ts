// A token request that changes something with a JSON body is decided once the body has arrived,
// on every URL: the filter used to decide on the headers, so a client that held the body back
// finished a change after the token was deleted (a user created with a known password, the plugin
// disabled — the token API alone re-read its caller) or with limits the owner had meanwhile cut
// (an earlier expiry, read-only, restrictions). The token API also narrows its caller to the row
// as it is when the body is in (CallerTokenCheck).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { heldRequest } from './support/heldRequest';

const UPM = '/rest/plugins/1.0/de.resolution.apitokenauth-key';
const DAY = 86_400_000;

forEachDatabase('TokenRequestAuthentication: a change with a body is decided once the body is in', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(async () => {
    await e2e?.host.runtime.clock.setOffsetMillis(0);
    await stopAndCheckLeaks(e2e);
  });
  const keep = <T extends { json: Record<string, unknown> | null }>(answer: T): T => {
    if (typeof answer.json?.plainTextToken === 'string') e2e.issued.push(answer.json.plainTextToken);
    return answer;
  };

  it('should not create a user through a system admin\'s token deleted while the body was held', async () => {
    const stolen = await e2e.createToken('admin', { tokenDescription: 'admin stolen' });
    const pending = await heldRequest(e2e.host.baseUrl, '/rest/api/2/user', stolen.plainTextToken,
      { name: 'backdoor', password: 'backdoor-pw-1', emailAddress: 'b@example.com', displayName: 'Backdoor' });
    expect((await e2e.as('admin', `${API}/user/token/${stolen.id}`, { method: 'DELETE' })).status).to.equal(200);

    expect((await pending.finish()).status).to.equal(401);
    expect(await e2e.host.runtime.users.getUserByName('backdoor')).to.equal(null);
  });

  it('should not disable the plugin through a token deleted while the body was held', async () => {
    const stolen = await e2e.createToken('admin', { tokenDescription: 'admin stolen 2' });
    const pending = await heldRequest(e2e.host.baseUrl, UPM, stolen.plainTextToken, { enabled: false }, 'PUT');
    expect((await e2e.as('admin', `${API}/user/token/${stolen.id}`, { method: 'DELETE' })).status).to.equal(200);

    const answer = await pending.finish();
    const enabled = (await e2e.as('admin', UPM)).json?.enabled;
    if (enabled === false) await e2e.as('admin', UPM, { method: 'PUT', body: { enabled: true } });
    expect({ status: answer.status, enabled }).to.deep.equal({ status: 401, enabled: true });
  });

  it('should not let a token shortened meanwhile mint one that outlives it', async () => {
    const stolen = await e2e.createToken('alice', { tokenDescription: 'stolen, shortened' });
    const pending = await heldRequest(e2e.host.baseUrl, `${API}/user/token`, stolen.plainTextToken, { tokenDescription: 'thief keeps this' });
    const shortened = Date.now() + DAY;
    expect((await e2e.as('alice', `${API}/user/token/${stolen.id}`, { method: 'PATCH', body: { tokenExpirationDateTimeMillis: shortened } })).status).to.equal(200);

    const minted = keep(await pending.finish());
    expect(minted.status, JSON.stringify(minted.json)).to.equal(200);
    expect(minted.json?.tokenExpirationDateTimeMillis as number).to.be.at.most(shortened);
  });

  it('should not let a token made read-only meanwhile mint a read/write one', async () => {
    const stolen = await e2e.createToken('bob', { tokenDescription: 'stolen, made read-only' });
    const pending = await heldRequest(e2e.host.baseUrl, `${API}/user/token`, stolen.plainTextToken, { tokenDescription: 'thief rw', tokenScope: 2 });
    expect((await e2e.as('bob', `${API}/user/token/${stolen.id}`, { method: 'PATCH', body: { tokenScope: 1 } })).status).to.equal(200);

    const minted = keep(await pending.finish());
    expect(minted.status, JSON.stringify(minted.json)).to.equal(403);
  });

  it('should not let a token restricted meanwhile create anything', async () => {
    const stolen = await e2e.createToken('carol', { tokenDescription: 'stolen, restricted' });
    const pending = await heldRequest(e2e.host.baseUrl, `${API}/user/token`, stolen.plainTextToken, { tokenDescription: 'thief unrestricted' });
    expect((await e2e.as('carol', `${API}/user/token/${stolen.id}`, { method: 'PATCH', body: { restrictions: '[GET].*/rest/api/2/myself' } })).status).to.equal(200);

    const minted = keep(await pending.finish());
    expect(minted.status, JSON.stringify(minted.json)).to.equal(403);
    const list = await e2e.as('carol', `${API}/user/token`);
    expect((list.json as Array<{ description: string }>).map((t) => t.description)).not.to.include('thief unrestricted');
  });

  it('should answer a token change whose body is malformed or too large as the host would, never with a 500', async () => {
    const token = await e2e.createToken('bob', { tokenDescription: 'bodies' });
    const malformed = await e2e.req('/rest/api/2/filter', { method: 'POST', bearer: token.plainTextToken, body: '{"name": ', headers: { 'Content-Type': 'application/json' } });
    expect(malformed.status, malformed.text).to.equal(400);
    const big = await e2e.req('/rest/api/2/filter', { method: 'POST', bearer: token.plainTextToken, body: JSON.stringify({ name: 'x'.repeat(1_100_000) }) });
    expect(big.status).to.equal(413);
    const fine = await e2e.req('/rest/api/2/filter', { method: 'POST', bearer: token.plainTextToken, body: { name: 'by token', jql: 'project = TEST' } });
    expect(fine.status, fine.text).to.equal(200);
    const wrongSecret = await e2e.req('/rest/api/2/filter', { method: 'POST', bearer: `${token.plainTextToken.slice(0, -8)}AAAAAAAA`, body: { name: 'x' } });
    expectError(wrongSecret, 'TOKEN_AUTH_FAILED');
  });
});
