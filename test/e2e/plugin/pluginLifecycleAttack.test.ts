// Attacks on the plugin's run-time lifecycle (UPM disable/enable) and licence: windows in which a
// token, a revoked token or a setting changed elsewhere could be honoured, data the plugin could
// lose across a disable, and what repeated disable/enable leaves behind.
import { expect } from 'chai';
import { claimedCredentialPrefixes, readDescriptor } from '../../../host-sim/loader/PluginDescriptor';
import { TOKEN_PREFIX } from '../../../plugin/token/TokenFormat';
import { until } from '../../support/cluster';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, PLUGIN_DESCRIPTOR, type TestHost } from '../../support/hostServer';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';
import { heldRequest } from './support/heldRequest';

const PLUGIN_KEY = 'de.resolution.apitokenauth';
const UPM = `/rest/plugins/1.0/${PLUGIN_KEY}-key`;
const MYSELF = '/rest/api/2/myself';

forEachDatabase('plugin lifecycle attacks', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const setEnabled = async (enabled: boolean): Promise<void> => {
    const res = await e2e.as('admin', UPM, { method: 'PUT', body: { enabled } });
    expect(res.status).to.equal(200);
  };

  it('should let neither an ordinary user, a read-only admin token nor an anonymous caller change the plugin or licence state', async () => {
    const readOnly = (await e2e.createToken('admin', { tokenScope: 1 })).plainTextToken;
    expect((await e2e.req(UPM, { method: 'PUT', body: { enabled: false } })).status).to.equal(401);
    expect((await e2e.as('alice', UPM, { method: 'PUT', body: { enabled: false } })).status).to.equal(403);
    expect((await e2e.req(UPM, { method: 'PUT', bearer: readOnly, body: { enabled: false } })).status).to.equal(403);
    expect((await e2e.req(`/rest/hostsim/1.0/license/${PLUGIN_KEY}`, { method: 'PUT', body: { state: 'none' } })).status).to.equal(401);
    expect((await e2e.as('alice', `/rest/hostsim/1.0/license/${PLUGIN_KEY}`, { method: 'PUT', body: { state: 'none' } })).status).to.equal(403);
    expect((await e2e.as('alice', UPM)).status).to.equal(403);
    expect(e2e.host.runtime.pluginStates.isEnabled(PLUGIN_KEY)).to.equal(true);
    expect(e2e.host.runtime.licenses.getState(PLUGIN_KEY)).to.equal('valid');
  });

  it('should refuse cached tokens, sudo (run-as) tokens included, as soon as the licence is not valid', async () => {
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } })).status).to.equal(200);
    const sudo = (await e2e.createToken('admin', { sudo: true })).plainTextToken;
    const plain = (await e2e.createToken('alice')).plainTextToken;
    expect((await e2e.req(MYSELF, { bearer: sudo, headers: { 'X-Atlassian-Run-As': 'bob' } })).json.name).to.equal('bob');
    expect((await e2e.req(MYSELF, { auth: ['alice', plain] })).status).to.equal(200);
    for (const state of ['expired', 'none'] as const) {
      await e2e.host.runtime.licenses.setState(PLUGIN_KEY, state);
      try {
        expect((await e2e.req(MYSELF, { bearer: sudo, headers: { 'X-Atlassian-Run-As': 'bob' } })).status).to.equal(401);
        expect((await e2e.req(MYSELF, { auth: ['alice', plain] })).status).to.equal(401);
        expect((await e2e.req(MYSELF, { bearer: plain })).status).to.equal(401);
        // Managing tokens keeps working (docs/api.md, Licence).
        expect((await e2e.as('alice', `${API}/user/token`)).status).to.equal(200);
      } finally {
        await e2e.host.runtime.licenses.setState(PLUGIN_KEY, 'valid');
      }
    }
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: false } })).status).to.equal(200);
  });

  it('should refuse, and audit, a token request still being decided when the plugin is disabled (its body held back)', async () => {
    // Disabling the plugin is the switch that stops every token at once: a request whose body was
    // held back while the switch was thrown (here: a user with a password the holder knows) must
    // not finish as admitted.
    const stolen = await e2e.createToken('admin', { tokenDescription: 'stolen admin token' });
    const pending = await heldRequest(e2e.host.baseUrl, '/rest/api/2/user', stolen.plainTextToken,
      { name: 'backdoor', password: 'backdoor-pw-1', emailAddress: 'backdoor@example.com', displayName: 'Backdoor' });
    await setEnabled(false);
    let held: number;
    try {
      expect((await e2e.req(MYSELF, { bearer: stolen.plainTextToken })).status, 'new requests').to.equal(401);
      held = (await pending.finish()).status;
    } finally {
      await setEnabled(true);
    }
    expect(held, 'the held request').to.equal(401);
    expect(await e2e.host.runtime.users.getUserByName('backdoor')).to.equal(null);
    const found = await until(async () => (await e2e.auditEvents('token.refused')).some((ev) => JSON.stringify(ev).includes('PLUGIN_DISABLED')), 3000);
    expect(found, 'refusal audited').to.equal(true);
  });

  it('should never count a token sent as a Basic password on the failed-login counter while the plugin is disabled', async () => {
    const { plainTextToken } = await e2e.createToken('bob');
    const wrong = `${plainTextToken.slice(0, -6)}AAAAAA`;
    await setEnabled(false);
    try {
      // A script that goes on using its token while an administrator has the plugin off, and a guesser.
      for (const password of [plainTextToken, plainTextToken, wrong, wrong]) {
        const res = await e2e.req(MYSELF, { auth: ['bob', password] });
        expect(res.status).to.equal(401);
        expect(res.headers.get('x-seraph-loginreason')).to.not.equal('AUTHENTICATION_DENIED');
      }
    } finally {
      await setEnabled(true);
    }
    expect((await e2e.host.runtime.loginManager.getLoginInfo('bob')).currentFailedLoginCount).to.equal(0);
    // Nor when the token is typed into a password login (plugin enabled: its filter sees only headers).
    const session = await e2e.req('/rest/auth/1/session', { method: 'POST', body: { username: 'bob', password: plainTextToken } });
    expect(session.status).to.equal(401);
    expect((await e2e.host.runtime.loginManager.getLoginInfo('bob')).currentFailedLoginCount).to.equal(0);
    // No CAPTCHA state: bob's password scripts go on working.
    expect((await e2e.as('bob', MYSELF)).status).to.equal(200);
    expect((await e2e.req(MYSELF, { auth: ['bob', plainTextToken] })).status).to.equal(200);
  });

  it('should publish one plugin-disabled and one plugin-enabled host event per UPM change', async () => {
    const events: string[] = [];
    const subscriptions = [
      e2e.host.runtime.eventPublisher.subscribe('plugin-disabled', (event) => { events.push(`${event.type}:${event.pluginKey}`); }),
      e2e.host.runtime.eventPublisher.subscribe('plugin-enabled', (event) => { events.push(`${event.type}:${event.pluginKey}`); }),
    ];
    try {
      await setEnabled(false);
      await setEnabled(true);
    } finally {
      for (const unsubscribe of subscriptions) unsubscribe();
    }
    expect(events).to.deep.equal([`plugin-disabled:${PLUGIN_KEY}`, `plugin-enabled:${PLUGIN_KEY}`]);
  });

  it('should leave no listeners, subscriptions, jobs or timers behind after 50 disable/enable cycles', async function () {
    this.timeout(60_000);
    const { runtime } = e2e.host;
    const listenerCount = (): number => {
      const messaging = runtime.clusterMessaging as unknown as { listeners: Map<string, Set<unknown>>; resyncListeners: Set<unknown> };
      const events = runtime.eventPublisher as unknown as { listeners: Map<string, Set<unknown>> };
      let n = messaging.resyncListeners.size;
      for (const set of messaging.listeners.values()) n += set.size;
      for (const set of events.listeners.values()) n += set.size;
      return n;
    };
    const handles = (): number => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
    const { plainTextToken } = await e2e.createToken('manager');
    expect((await e2e.req(MYSELF, { bearer: plainTextToken })).status).to.equal(200);
    await setEnabled(false);
    await setEnabled(true);
    const listenersBefore = listenerCount();
    const jobsBefore = runtime.scheduler.jobKeys();
    const handlesBefore = handles();
    for (let i = 0; i < 50; i++) {
      await setEnabled(false);
      await setEnabled(true);
      expect((await e2e.req(MYSELF, { bearer: plainTextToken })).status).to.equal(200);
    }
    expect(listenerCount()).to.equal(listenersBefore);
    expect(runtime.scheduler.jobKeys()).to.deep.equal(jobsBefore);
    expect(handles()).to.be.at.most(handlesBefore + 5);
  });
});

describe('plugin lifecycle attacks: the descriptor', () => {
  it('should claim the token prefix in the filter module, so that the host never checks a token as a password', () => {
    const descriptor = readDescriptor(PLUGIN_DESCRIPTOR);
    expect(claimedCredentialPrefixes([descriptor])).to.deep.equal([TOKEN_PREFIX]);
  });
});

forEachDatabase('plugin lifecycle attacks across two nodes', (kind) => {
  let first: TestHost;
  let second: TestHost;
  const ADMIN = ['admin', 'admin'] as const;
  before(async () => {
    first = await startTestHost({ product: 'jira', dbKind: kind, descriptors: [PLUGIN_DESCRIPTOR] });
    second = await startTestHost({ product: 'jira', dbUrl: first.dbUrl, descriptors: [PLUGIN_DESCRIPTOR], nodeId: 'node2' });
    await first.runtime.users.createUser({ name: 'dave', password: 'dave-pw', email: 'dave@example.com', displayName: 'Dave', groups: ['jira-software-users'] });
  });
  after(async () => {
    await second?.stop();
    await first?.stop();
  });

  const onlyOnSecond = async (enabled: boolean): Promise<void> => {
    // Node-local switch: the loader applies the state on this node only (as a node that misses nothing).
    await second.host.loader.apply(PLUGIN_KEY, enabled);
  };

  it('should refuse, after this node re-enables the plugin, a token revoked on another node while it was disabled', async () => {
    const created = await first.request(`${API}/user/token`, { method: 'POST', auth: ['dave', 'dave-pw'], body: {} });
    expect(created.status).to.equal(200);
    const token = created.json.plainTextToken as string;
    expect((await second.request(MYSELF, { bearer: token })).status).to.equal(200);
    await onlyOnSecond(false);
    try {
      expect((await first.request(`${API}/user/token/${created.json.id}`, { method: 'DELETE', auth: ['dave', 'dave-pw'] })).status).to.equal(200);
      await new Promise((r) => setTimeout(r, 600));
    } finally {
      await onlyOnSecond(true);
    }
    expect((await second.request(MYSELF, { bearer: token })).status).to.equal(401);
  });

  it('should apply, after this node re-enables the plugin, a setting changed on another node while it was disabled', async () => {
    const created = await first.request(`${API}/user/token`, { method: 'POST', auth: ['dave', 'dave-pw'], body: {} });
    const token = created.json.plainTextToken as string;
    expect((await second.request(MYSELF, { bearer: token })).status).to.equal(200);
    await onlyOnSecond(false);
    try {
      expect((await first.request(`${API}/admin/settings`, { method: 'PUT', auth: ADMIN, body: { authSchemes: 'basic' } })).status).to.equal(200);
      await new Promise((r) => setTimeout(r, 600));
    } finally {
      await onlyOnSecond(true);
    }
    try {
      expect((await second.request(MYSELF, { bearer: token })).status).to.equal(401);
      expect((await second.request(MYSELF, { auth: ['dave', token] })).status).to.equal(200);
    } finally {
      await first.request(`${API}/admin/settings`, { method: 'PUT', auth: ADMIN, body: { authSchemes: 'both' } });
    }
  });

  it('should refuse every token on the other node within 1 s once the licence is removed, and accept them again', async () => {
    const created = await first.request(`${API}/user/token`, { method: 'POST', auth: ['dave', 'dave-pw'], body: {} });
    const token = created.json.plainTextToken as string;
    // The previous test's settings change back reaches this node within 1 s.
    expect(await until(async () => (await second.request(MYSELF, { bearer: token })).status === 200, 1000)).to.equal(true);
    expect((await first.request(`/rest/hostsim/1.0/license/${PLUGIN_KEY}`, { method: 'PUT', auth: ADMIN, body: { state: 'none' } })).status).to.equal(200);
    try {
      expect(await until(async () => (await second.request(MYSELF, { bearer: token })).status === 401, 1000)).to.equal(true);
    } finally {
      await first.request(`/rest/hostsim/1.0/license/${PLUGIN_KEY}`, { method: 'PUT', auth: ADMIN, body: { state: 'valid' } });
    }
    expect(await until(async () => (await second.request(MYSELF, { bearer: token })).status === 200, 1000)).to.equal(true);
  });
});
