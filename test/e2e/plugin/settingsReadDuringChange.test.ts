// A settings change racing a read of the settings on the same node (race review). A node reads
// its settings once and shares that read among the requests that arrive while it is under way.
// When a change commits during such a read, the read's result is the settings before the change:
// it is not kept, but a request that arrived after the change was answered must not be decided on
// it either ("every node sees a change … at once on the node that made it", docs/api.md).
//
// The read is held with its result (holdCalls, after) from the moment a token request starts it until the change has been
// answered and a second token request has arrived: the stand-in for a slow settings read.
import { expect } from 'chai';
import { DefaultPluginSettings } from '../../../host-sim/impl/plugins/DefaultPluginSettings';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import type { TestResponse } from '../../support/hostServer';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { hold, within } from './support/holdCalls';

const MYSELF = '/rest/api/2/myself';
const SETTINGS = `${API}/admin/settings`;

forEachDatabase('SettingsService: a request after a settings change is decided on the changed settings', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  // FINDING: the shared read under way when the change committed answered every request that
  // joined it, also those that arrived after the change was answered: a token from outside the
  // global allowlist just set was admitted (200).
  it('should refuse a token from outside a global allowlist set while a settings read was under way', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'outside the allowlist soon' });
    // A session (no password Basic) changes the settings: its own request reads no settings.
    const cookie = await e2e.webSudoSession('admin');
    const put = (body: Record<string, unknown>) => e2e.req(SETTINGS, { method: 'PUT', body, headers: { Cookie: cookie } });
    const held = hold(DefaultPluginSettings.prototype, 'getAll', (_args, stack) => stack.includes('DefaultSettingsService.get ('), 1, 'after');
    let early: Promise<TestResponse> | undefined;
    let late: Promise<TestResponse> | undefined;
    try {
      // Empties the node's cached settings: the next token request starts a read.
      expect((await put({ expiryWarningDays: [7, 2] })).status, 'an unrelated change').to.equal(200);
      early = e2e.req(MYSELF, { bearer: token.plainTextToken });
      expect(await within(held.reached(), 5000), 'settings read under way').not.to.equal('pending');
      expect((await put({ ipAllowlist: ['10.9.9.9'] })).status, 'allowlist set').to.equal(200);
      late = e2e.req(MYSELF, { bearer: token.plainTextToken });
      await within(late, 500);
    } finally {
      held.release();
      held.restore();
    }
    try {
      expectError(await late!, 'TOKEN_IP_NOT_ALLOWED', 'a request sent after the change was answered');
      // Sent before the answer: either order is right.
      expect((await early!).status, 'the request that started the read').to.be.oneOf([200, 403]);
    } finally {
      expect((await put({ ipAllowlist: [], expiryWarningDays: [7, 1] })).status).to.equal(200);
    }
  });
});
