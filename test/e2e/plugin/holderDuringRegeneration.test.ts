// Who holds a secret issued through a token whose own secret someone else holds (race review). A
// manager makes a token for a user on the user's behalf: the manager holds its secret, so the
// token — and whatever is issued through it — is held to the manager's rights on every request
// (SecretHolderCheck, ISSUED_TO). The user takes the token back by regenerating it with a
// password. A creation through the manager's secret under way at that moment read the calling
// token's holder after the regeneration: the new token was stored as the user's own, held by
// nobody else, while the manager had its secret — and kept it after losing the on-behalf
// permission. Either order of the two is right: created first (held to the manager), or refused.
//
// The creation (or regeneration) is held (holdCalls) just before it reads the calling token's row
// for its holder.
import { expect } from 'chai';
import { DefaultActiveObjects } from '../../../host-sim/impl/ao/DefaultActiveObjects';
import { forEachDatabase } from '../../support/databases';
import type { TestResponse } from '../../support/hostServer';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { hold, within } from './support/holdCalls';

const MYSELF = '/rest/api/2/myself';

forEachDatabase('IssuedSecrets: the holder of a secret issued through a token regenerated meanwhile', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  // FINDING: the token created through the manager's secret was stored without ISSUED_TO and kept
  // working in the manager's hands after the manager lost the on-behalf permission (200).
  it('should hold a token created through a secret its owner took back meanwhile to whoever held that secret', async () => {
    const carol = e2e.users.carol;
    const managers = await e2e.createToken('manager', { tokenForUserKey: carol.key, tokenDescription: 'made for carol by the manager' });
    const held = hold(DefaultActiveObjects.prototype, 'get', (_args, stack) => stack.includes('IssuedSecrets.holderFor'));
    let creation: Promise<TestResponse> | undefined;
    try {
      creation = e2e.req(`${API}/user/token`, { method: 'POST', bearer: managers.plainTextToken, body: { tokenDescription: 'through the manager\'s secret' } });
      expect(await within(held.reached(), 5000), 'creation under way').not.to.equal('pending');
      const takenBack = await e2e.as('carol', `${API}/user/token/${managers.id}/rotate`, { method: 'POST', body: {} });
      expect(takenBack.status, 'carol regenerates her token').to.equal(200);
      e2e.issued.push(takenBack.json.plainTextToken);
    } finally {
      held.release();
      held.restore();
    }
    const made = await creation!;
    if (made.status !== 200) {
      expect(made.status, 'refused: the calling secret was replaced').to.equal(401);
      return;
    }
    e2e.issued.push(made.json.plainTextToken);
    expect((await e2e.req(MYSELF, { bearer: made.json.plainTextToken })).status, 'the manager uses it').to.equal(200);
    await e2e.host.runtime.users.removeUserFromGroup('manager', 'token-managers');
    try {
      expect((await e2e.req(MYSELF, { bearer: made.json.plainTextToken })).status, 'once the manager lost the on-behalf permission').to.equal(401);
    } finally {
      await e2e.host.runtime.users.addUserToGroup('manager', 'token-managers');
    }
  });

  it('should hold a token regenerated through a secret its owner took back meanwhile to whoever held that secret', async () => {
    const carol = e2e.users.carol;
    const managers = await e2e.createToken('manager', { tokenForUserKey: carol.key, tokenDescription: 'made for carol by the manager, again' });
    // Expires before the manager's token: a token regenerates only what it outlives.
    const sibling = await e2e.createToken('carol', { tokenDescription: 'carol\'s own', tokenValidityTimeInMonths: 1 });
    const held = hold(DefaultActiveObjects.prototype, 'get', (_args, stack) => stack.includes('IssuedSecrets.holderFor'));
    let regeneration: Promise<TestResponse> | undefined;
    try {
      regeneration = e2e.req(`${API}/user/token/${sibling.id}/rotate`, { method: 'POST', bearer: managers.plainTextToken, body: {} });
      expect(await within(held.reached(), 5000), 'regeneration under way').not.to.equal('pending');
      const takenBack = await e2e.as('carol', `${API}/user/token/${managers.id}/rotate`, { method: 'POST', body: {} });
      expect(takenBack.status, 'carol regenerates the manager\'s token').to.equal(200);
      e2e.issued.push(takenBack.json.plainTextToken);
    } finally {
      held.release();
      held.restore();
    }
    const made = await regeneration!;
    if (made.status !== 200) {
      expect(made.status, 'refused: the calling secret was replaced').to.equal(401);
      expect((await e2e.req(MYSELF, { bearer: sibling.plainTextToken })).status, 'the sibling keeps its secret').to.equal(200);
      return;
    }
    e2e.issued.push(made.json.plainTextToken);
    await e2e.host.runtime.users.removeUserFromGroup('manager', 'token-managers');
    try {
      expect((await e2e.req(MYSELF, { bearer: made.json.plainTextToken })).status, 'once the manager lost the on-behalf permission').to.equal(401);
    } finally {
      await e2e.host.runtime.users.addUserToGroup('manager', 'token-managers');
    }
  });
});
