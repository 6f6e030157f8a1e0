// A request through a token is admitted when its headers arrive; the token API reads the body
// afterwards. A thief holding a stolen token could send the headers of a change, hold the body
// back, wait until the owner deleted or regenerated the token, and then send the rest: the change
// ran as admitted (a new token minted, a sibling regenerated, settings changed), although
// "revoking a stolen token locks the thief out". Now a change with a body is decided once the body
// is in (decidedOnceBodyArrived.test.ts), and both token APIs read the calling token again from the
// database (CallerTokenCheck, for a revocation another node's cache has not heard of yet).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { heldRequest } from './support/heldRequest';

const MYSELF = '/rest/api/2/myself';
const API_TOKENS = '/rest/api-tokens/latest';

forEachDatabase('CallerTokenCheck: a token revoked while its request was under way', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const keep = <T extends { json: Record<string, unknown> | null }>(answer: T): T => {
    if (typeof answer.json?.plainTextToken === 'string') e2e.issued.push(answer.json.plainTextToken);
    return answer;
  };
  const asText = (answer: { status: number; json: Record<string, unknown> | null }) => ({ status: answer.status, text: JSON.stringify(answer.json ?? {}) });

  it('should refuse a create whose body arrives after the token was deleted, and audit the refusal', async () => {
    const stolen = await e2e.createToken('alice', { tokenDescription: 'stolen' });
    const pending = await heldRequest(e2e.host.baseUrl, `${API}/user/token`, stolen.plainTextToken, { tokenDescription: 'thief keeps this' });
    expect((await e2e.as('alice', `${API}/user/token/${stolen.id}`, { method: 'DELETE' })).status).to.equal(200);
    expect((await e2e.req(MYSELF, { bearer: stolen.plainTextToken })).status).to.equal(401);

    expectError(asText(keep(await pending.finish())), 'TOKEN_AUTH_FAILED');
    const list = await e2e.as('alice', `${API}/user/token`);
    expect((list.json as Array<{ description: string }>).map((t) => t.description)).not.to.include('thief keeps this');
    const ours = (events: Array<Record<string, unknown>>) => events.flatMap((ev) => (ev.extraAttributes as Array<{ name: string; value: string }>)
      .filter((a) => a.name === 'reason').map((a) => a.value)).filter((r) => r === 'UNKNOWN_TOKEN' || r === 'REVOKED_DURING_REQUEST:DELETED');
    // Polled until this refusal is there (refusals are written in batches; others may be there already).
    expect(ours(await e2e.auditEvents('token.refused', (events) => ours(events).length > 0))).to.have.length.greaterThan(0);
  });

  it('should refuse to regenerate a sibling through a token its owner regenerated meanwhile', async () => {
    const stolen = await e2e.createToken('alice', { tokenDescription: 'stolen 2' });
    // Expires before the stolen token, so that the stolen token may regenerate it (docs/api.md).
    const sibling = await e2e.createToken('alice', { tokenDescription: 'sibling', tokenValidityTimeInMonths: 6 });
    const pending = await heldRequest(e2e.host.baseUrl, `${API}/user/token/${sibling.id}/rotate`, stolen.plainTextToken, {});
    const regenerated = await e2e.as('alice', `${API}/user/token/${stolen.id}/rotate`, { method: 'POST' });
    expect(regenerated.status).to.equal(200);
    e2e.issued.push(regenerated.json.plainTextToken);

    expectError(asText(keep(await pending.finish())), 'TOKEN_AUTH_FAILED');
    expect((await e2e.req(MYSELF, { bearer: sibling.plainTextToken })).status, 'the sibling keeps its secret').to.equal(200);
  });

  it('should refuse a settings change through a system admin\'s token deleted meanwhile', async () => {
    const stolen = await e2e.createToken('admin', { tokenDescription: 'admin stolen' });
    const before = (await e2e.as('admin', `${API}/admin/settings`)).json as { createOnBehalfGroups: string[] };
    const pending = await heldRequest(e2e.host.baseUrl, `${API}/admin/settings`, stolen.plainTextToken, { createOnBehalfGroups: ['jira-software-users'] }, 'PUT');
    expect((await e2e.as('admin', `${API}/user/token/${stolen.id}`, { method: 'DELETE' })).status).to.equal(200);

    expectError(asText(await pending.finish()), 'TOKEN_AUTH_FAILED');
    const after = (await e2e.as('admin', `${API}/admin/settings`)).json as { createOnBehalfGroups: string[] };
    expect(after.createOnBehalfGroups).to.deep.equal(before.createOnBehalfGroups);
  });

  it('should refuse a create on /rest/api-tokens through a token deleted meanwhile', async () => {
    const stolen = await e2e.createToken('bob', { tokenDescription: 'stolen 3' });
    const pending = await heldRequest(e2e.host.baseUrl, API_TOKENS, stolen.plainTextToken, { label: 'thief keeps this too' });
    expect((await e2e.as('bob', `${API}/user/token/${stolen.id}`, { method: 'DELETE' })).status).to.equal(200);

    expectError(asText(keep(await pending.finish())), 'TOKEN_AUTH_FAILED');
    const list = await e2e.as('bob', `${API}/user/token`);
    expect((list.json as Array<{ description: string }>).map((t) => t.description)).not.to.include('thief keeps this too');
  });

  it('should refuse a create through a token whose owner was deactivated meanwhile', async () => {
    await e2e.host.runtime.users.createUser({ name: 'frank', password: 'frank-pw-1', email: 'frank@example.com', displayName: 'FRANK', groups: ['jira-software-users'] });
    const created = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['frank', 'frank-pw-1'], body: { tokenDescription: 'frank stolen' } });
    expect(created.status, created.text).to.equal(200);
    const stolen = keep(created).json as { plainTextToken: string };
    const pending = await heldRequest(e2e.host.baseUrl, `${API}/user/token`, stolen.plainTextToken, { tokenDescription: 'outlives frank' });
    await e2e.host.runtime.users.setActive('frank', false);

    expectError(asText(keep(await pending.finish())), 'TOKEN_AUTH_FAILED');
    await e2e.host.runtime.users.setActive('frank', true);
    const list = await e2e.req(`${API}/user/token`, { auth: ['frank', 'frank-pw-1'] });
    expect((list.json as Array<{ description: string }>).map((t) => t.description)).not.to.include('outlives frank');
  });

  it('should let a change through a live token go ahead, its body held back or not', async () => {
    const live = await e2e.createToken('bob', { tokenDescription: 'live' });
    const pending = await heldRequest(e2e.host.baseUrl, `${API}/user/token`, live.plainTextToken, { tokenDescription: 'made by a live token' });
    const created = keep(await pending.finish());
    expect(created.status, JSON.stringify(created.json)).to.equal(200);
  });
});
