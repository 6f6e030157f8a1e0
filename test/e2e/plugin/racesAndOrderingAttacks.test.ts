// Races, time-of-check/time-of-use and ordering on one node (attack review): whatever the
// interleaving, a revoked, deleted or narrowed token must not act after the change was
// acknowledged, privilege never flows upward (not even through a stolen token racing its owner),
// and no acknowledged change is lost.
//
// Each `// FINDING:` was red on the code before its fix (commit of 2026-12-04); where a fix serialises
// the two requests, the test accepts that order as well.
//
// The interleavings are made deterministic by holding one database call of the host's Active
// Objects (or of the plugin settings) until the racing request has been answered: the stand-in for
// a slow round trip between what a request read and what it writes. The hold sits before a
// transaction starts or between two statements of one, never on the request path of the other
// request. On SQLite a held transaction holds the one writer, so there the racing request waits
// for it (a serial order); each test releases its hold after a while when the other request does
// not finish, and then checks the outcome of whatever order the database imposed.
import { expect } from 'chai';
import { DefaultActiveObjects } from '../../../host-sim/impl/ao/DefaultActiveObjects';
import { DefaultPluginSettings } from '../../../host-sim/impl/plugins/DefaultPluginSettings';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import type { TestResponse } from '../../support/hostServer';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { hold, within } from './support/holdCalls';

const MYSELF = '/rest/api/2/myself';
const SETTINGS = `${API}/admin/settings`;
const PLUGIN_KEY = 'de.resolution.apitokenauth';
const DAY = 24 * 60 * 60 * 1000;

/** The public id of a plain token (`apitok_<12 characters>_…`). */
const publicIdOf = (token: string): string => token.slice(7, 19);

forEachDatabase('races and ordering attacks (one node)', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const AO = DefaultActiveObjects.prototype;
  const status = async (token: string, path = MYSELF) => (await e2e.req(path, { bearer: token })).status;
  const alice = () => e2e.users.alice;
  const ownTokens = async (user: 'alice' | 'bob' | 'carol' | 'manager') =>
    (await e2e.as(user, `${API}/user/token`)).json as Array<{ id: number; validUntil: number; tokenScope: number; restrictions: { rules?: unknown[]; ipAllowlist?: string[] } | null }>;
  const tokenRow = async (user: 'alice' | 'bob' | 'carol' | 'manager', id: number) => (await ownTokens(user)).find((t) => t.id === id);
  const keep = (res: TestResponse): TestResponse => {
    if (typeof res.json?.plainTextToken === 'string') e2e.issued.push(res.json.plainTextToken);
    return res;
  };

  // --- lost updates of a token's limits (PATCH / rotate compute from a row read before the lock) ---

  // FINDING: two PATCHes of one token by its owner — one sets rules, the other an IP allowlist —
  // each merge the part they do not send from the row they read before taking the token's lock;
  // the later write puts the row back without the other's part. Either serial order keeps both.
  it('should keep both of two concurrent narrowing PATCHes: rules set while an IP allowlist is set', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'two narrowing patches' });
    const held = hold(AO, 'executeInTransaction', (_args, stack) => stack.includes('updateLimits'));
    let allowlistPatch: Promise<{ status: number }> | undefined;
    try {
      allowlistPatch = e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { ipAllowlist: ['127.0.0.0/8', '::1/128', '::ffff:127.0.0.0/104'] } });
      await held.reached();
      const rules = await e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { restrictions: `[GET].*${MYSELF}` } });
      expect(rules.status, 'the rules PATCH').to.equal(200);
    } finally {
      held.release();
      held.restore();
    }
    expect((await allowlistPatch).status, 'the allowlist PATCH').to.equal(200);
    const row = await tokenRow('alice', token.id);
    expect({ rules: row?.restrictions?.rules?.length ?? 0, ips: row?.restrictions?.ipAllowlist?.length ?? 0 }, 'both narrowings stored').to.deep.equal({ rules: 1, ips: 3 });
    expect(await status(token.plainTextToken, `${API}/user/token`), 'a path outside the acknowledged rule').to.equal(403);
  });

  // FINDING: a thief holding an unrestricted token gives it a wide rule through itself (allowed:
  // restricting an unrestricted token only narrows it) while the owner, by password, locks the
  // stolen token to an address the thief does not have. The thief's PATCH checked "unrestricted"
  // and merged "no allowlist" from the row it read before the owner's change, and writes last:
  // the owner's acknowledged lock-out is gone and the stolen token works again.
  it('should not let a PATCH through a stolen token undo the IP allowlist its owner set meanwhile', async () => {
    const stolen = await e2e.createToken('alice', { tokenDescription: 'stolen, owner locks it down' });
    const held = hold(AO, 'executeInTransaction', (_args, stack) => stack.includes('updateLimits'));
    let thief: Promise<{ status: number }> | undefined;
    try {
      thief = e2e.req(`${API}/user/token/${stolen.id}`, { method: 'PATCH', bearer: stolen.plainTextToken, body: { restrictions: '[GET].*' } });
      await held.reached();
      const lock = await e2e.as('alice', `${API}/user/token/${stolen.id}`, { method: 'PATCH', body: { ipAllowlist: ['10.9.9.9'] } });
      expect(lock.status, 'owner locks the token to 10.9.9.9').to.equal(200);
      expect(await status(stolen.plainTextToken), 'locked out once the owner was answered').to.equal(403);
    } finally {
      held.release();
      held.restore();
    }
    const late = await thief;
    // Refused, or stored without taking the owner's allowlist away.
    expect({ thief: late?.status, afterwards: await status(stolen.plainTextToken) }).to.satisfy(
      (o: { thief: number; afterwards: number }) => o.afterwards === 403,
      `the thief's PATCH answered ${late?.status}; the stolen token must stay locked to 10.9.9.9`);
    const row = await tokenRow('alice', stolen.id);
    expect(row?.restrictions?.ipAllowlist ?? [], 'the owner\'s allowlist').to.deep.equal(['10.9.9.9']);
  });

  // FINDING: a regeneration through a token keeps (at most) the token's expiry — as read before
  // the token's lock. The owner shortens the stolen token to one day meanwhile; the thief's
  // regeneration then writes the old, year-long expiry back with a fresh secret.
  it('should not let a regeneration through a token write back the expiry its owner shortened meanwhile', async () => {
    const stolen = await e2e.createToken('alice', { tokenDescription: 'stolen, owner shortens it' });
    const held = hold(AO, 'executeInTransaction', (_args, stack) => /AoTokenStore\.rotate \(/.test(stack));
    let rotation: Promise<TestResponse> | undefined;
    let shortened = 0;
    try {
      rotation = e2e.req(`${API}/user/token/${stolen.id}/rotate`, { method: 'POST', bearer: stolen.plainTextToken, body: {} });
      await held.reached();
      const cut = await e2e.as('alice', `${API}/user/token/${stolen.id}`, { method: 'PATCH', body: { tokenExpirationDateTimeMillis: e2e.host.clock.now() + DAY } });
      expect(cut.status, 'owner shortens the token to a day').to.equal(200);
      shortened = (cut.json as { validUntil: number }).validUntil;
    } finally {
      held.release();
      held.restore();
    }
    const late = keep(await rotation!);
    const row = await tokenRow('alice', stolen.id);
    expect(row?.validUntil, `expiry after the racing regeneration (answered ${late.status}); the owner set ${new Date(shortened).toISOString()}`)
      .to.be.at.most(shortened);
  });

  it('should keep a scope lowered while an expiry PATCH of the same token was under way (each writes only its own field)', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'scope and expiry' });
    const held = hold(AO, 'executeInTransaction', (_args, stack) => stack.includes('updateLimits'));
    let expiry: Promise<{ status: number }> | undefined;
    try {
      expiry = e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { tokenValidityTimeInMonths: 2 } });
      await held.reached();
      expect((await e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'PATCH', body: { tokenScope: 1 } })).status).to.equal(200);
    } finally {
      held.release();
      held.restore();
    }
    expect((await expiry).status).to.equal(200);
    expect((await tokenRow('alice', token.id))?.tokenScope).to.equal(1);
    expect((await e2e.req(`${API}/user/token`, { method: 'POST', bearer: token.plainTextToken, body: { tokenScope: 2 } })).status, 'a write through it').to.equal(403);
  });

  it('should leave exactly one working secret after many concurrent regenerations of one token', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'rotated by many' });
    const answers = await Promise.all(Array.from({ length: 8 }, () =>
      e2e.as('alice', `${API}/user/token/${token.id}/rotate`, { method: 'POST' }).then(keep)));
    // Each regeneration is checked against the row it writes over: one that lost that race again
    // and again is answered 409 TOKEN_CHANGED_CONCURRENTLY and hands out no secret.
    for (const a of answers) if (a.status !== 200) expectError(a, 'TOKEN_CHANGED_CONCURRENTLY');
    expect(answers.filter((a) => a.status === 200)).to.have.length.of.at.least(1);
    const secrets = answers.filter((a) => a.status === 200).map((a) => a.json.plainTextToken as string);
    const working = [];
    for (const s of [token.plainTextToken, ...secrets]) if (await status(s) === 200) working.push(s);
    expect(working, 'secrets that still authenticate').to.have.length(1);
  });

  // --- deletions whose invalidation names the row as it was read, not as it was deleted ---

  // FINDING: a deletion reads the row (SELECT), then deletes by id, and publishes the public id it
  // read. A regeneration that commits between the two changes the row's public id: the DELETE
  // removes the regenerated row, but the invalidation names only the old secret's id. The new
  // secret, cached on this node since it was first used, keeps working after the deletion was
  // acknowledged — until the cache age limit (10 minutes).
  it('should refuse a secret regenerated while its token was being deleted, once the deletion is answered', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'deleted while regenerated' });
    const held = hold(AO, 'deleteWithSQL', (args, stack) => stack.includes('deleteByIds') && (args[2] as unknown[])?.[0] === token.id);
    let deletion: Promise<{ status: number }> | undefined;
    let rotated: TestResponse | 'pending' = 'pending';
    let rotation: Promise<TestResponse> | undefined;
    try {
      deletion = e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'DELETE' });
      await held.reached();
      rotation = e2e.as('alice', `${API}/user/token/${token.id}/rotate`, { method: 'POST' }).then(keep);
      // SQLite: the held deletion holds the writer, the regeneration waits for it (serial order).
      rotated = await within(rotation, 1500);
      if (rotated !== 'pending' && rotated.status === 200) {
        expect(await status(rotated.json!.plainTextToken!), 'the regenerated secret, before the deletion ends').to.equal(200);
      }
    } finally {
      held.release();
      held.restore();
    }
    expect((await deletion)?.status, 'the deletion').to.equal(200);
    if (rotated === 'pending') rotated = await rotation!;
    expect((await ownTokens('alice')).map((t) => t.id), 'listed after the deletion').not.to.include(token.id);
    if (rotated.status === 200) {
      expect(await status(rotated.json!.plainTextToken!), 'the regenerated secret of a deleted token').to.equal(401);
    } else {
      expect(rotated.status, 'regeneration after the deletion').to.equal(404);
    }
  });

  // FINDING: deleteAllFor reads a user's rows, then deletes every row of the user, and publishes
  // the public ids it read. A token created between the two is deleted too (the DELETE sees it)
  // but never invalidated: used once meanwhile, it goes on working from the cache although it no
  // longer exists and the incident answer did not count it.
  it('should not leave a token created during a delete-all-for working from the cache without its row', async () => {
    const old = await e2e.createToken('bob', { tokenDescription: 'bob before the incident' });
    const held = hold(AO, 'deleteWithSQL', (_args, stack) => stack.includes('deleteAllForUser'));
    let wipe: Promise<{ status: number; json?: unknown }> | undefined;
    let created: TestResponse | 'pending' = 'pending';
    let creation: Promise<TestResponse> | undefined;
    try {
      wipe = e2e.as('admin', `${API}/user/token/deleteAllFor/${encodeURIComponent(e2e.users.bob.key)}`, { method: 'DELETE' });
      await held.reached();
      creation = e2e.as('bob', `${API}/user/token`, { method: 'POST', body: { tokenDescription: 'bob during the incident' } }).then(keep);
      created = await within(creation, 1500);
      if (created !== 'pending' && created.status === 200) expect(await status(created.json!.plainTextToken!), 'new token, before the wipe ends').to.equal(200);
    } finally {
      held.release();
      held.restore();
    }
    expect((await wipe)?.status, 'delete-all-for').to.equal(200);
    if (created === 'pending') created = await creation!;
    expect(created.status, 'the create').to.equal(200);
    expect(await status(old.plainTextToken), 'the token before the incident').to.equal(401);
    const listed = (await ownTokens('bob')).some((t) => t.id === created.json!.id);
    const works = await status(created.json!.plainTextToken!) === 200;
    // Either the create came after the wipe (listed and working) or the wipe took it (gone and refused).
    expect({ listed, works }, 'a token works exactly while it exists').to.satisfy((o: { listed: boolean; works: boolean }) => o.listed === o.works);
  });

  // --- the credential cache's batched reads ---

  // FINDING: a miss waits in the next batch while two reads are under way. An invalidation (any
  // token created or changed anywhere in the cluster) clears the map of loads in progress; a second
  // request with the same token then starts its own load, whose entry in the waiting batch replaces
  // the first one's. The first request is never answered.
  it('should answer every request of a token whose lookup was waiting when an invalidation arrived', async () => {
    const gone1 = await e2e.createToken('carol', { tokenDescription: 'slow read 1' });
    const gone2 = await e2e.createToken('carol', { tokenDescription: 'slow read 2' });
    for (const t of [gone1, gone2]) expect((await e2e.as('carol', `${API}/user/token/${t.id}`, { method: 'DELETE' })).status).to.equal(200);
    const token = await e2e.createToken('carol', { tokenDescription: 'looked up twice' });
    const slowIds = new Set([publicIdOf(gone1.plainTextToken), publicIdOf(gone2.plainTextToken)]);
    const held = hold(AO, 'find', (args, stack) => stack.includes('findCredential')
      && ((args[1] as { params?: unknown[] })?.params ?? []).some((p) => slowIds.has(String(p))), 2);
    const first = new AbortController();
    let firstAnswer: Promise<number | 'pending'> | undefined;
    let second: Promise<number> | undefined;
    try {
      // Two reads under way (the batch limit): the next misses wait for one of them.
      void e2e.req(MYSELF, { bearer: gone1.plainTextToken }).catch(() => undefined);
      expect(await within(held.reached(1), 5000), 'first slow read under way').not.to.equal('pending');
      void e2e.req(MYSELF, { bearer: gone2.plainTextToken }).catch(() => undefined);
      expect(await within(held.reached(2), 5000), 'second slow read under way').not.to.equal('pending');
      firstAnswer = fetch(`${e2e.host.baseUrl}${MYSELF}`, { headers: { Authorization: `Bearer ${token.plainTextToken}` }, signal: first.signal })
        .then((r) => r.status, () => 'pending' as const);
      await new Promise((r) => setTimeout(r, 300));
      // Any invalidation: another user creates a token.
      await e2e.createToken('bob', { tokenDescription: 'an unrelated create' });
      second = e2e.req(MYSELF, { bearer: token.plainTextToken }).then((r) => r.status);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      held.release();
      held.restore();
    }
    expect(await within(second!, 5000), 'the second request').to.equal(200);
    const answered = await within(firstAnswer!, 4000);
    first.abort();
    expect(answered, 'the first request').to.equal(200);
  });

  // --- settings ---

  // FINDING: a settings change through a token may only tighten, checked against the settings it
  // read first; it then writes its whole value. An administrator tightens tokenUserGroups meanwhile
  // by password: the token's later write puts a group back the administrator had removed, which a
  // token may never add.
  it('should not let a settings change through a token put back a group its administrator removed meanwhile', async () => {
    for (const g of ['race-g1', 'race-g2', 'race-g3']) await e2e.host.runtime.users.createGroup(g);
    await e2e.host.runtime.users.addUserToGroup('admin', 'race-g1');
    try {
      expect((await e2e.as('admin', SETTINGS, { method: 'PUT', body: { tokenUserGroups: ['race-g1', 'race-g2', 'race-g3'] } })).status).to.equal(200);
      const adminToken = await e2e.createToken('admin', { tokenDescription: 'admin token (stolen)' });
      const narrowed = JSON.stringify(['race-g1', 'race-g2']);
      const held = hold(DefaultPluginSettings.prototype, 'write', (args) => args[1] === 'settings.tokenUserGroups' && args[2] === narrowed);
      let thief: Promise<{ status: number }> | undefined;
      let admin: Promise<TestResponse> | undefined;
      try {
        thief = e2e.req(SETTINGS, { method: 'PUT', bearer: adminToken.plainTextToken, body: { tokenUserGroups: ['race-g1', 'race-g2'] } });
        await held.reached();
        // Settings changes run one at a time: the administrator's may wait for the token's (serial order).
        admin = e2e.as('admin', SETTINGS, { method: 'PUT', body: { tokenUserGroups: ['race-g1'] } });
        const early = await within(admin, 1500);
        if (early !== 'pending') expect(early.status, 'admin tightens').to.equal(200);
      } finally {
        held.release();
        held.restore();
      }
      expect((await admin!).status, 'admin tightens').to.equal(200);
      const late = await thief;
      const now = (await e2e.as('admin', SETTINGS)).json as { tokenUserGroups: string[] };
      expect(now.tokenUserGroups, `tokenUserGroups after the token's PUT (answered ${late?.status})`).not.to.include('race-g2');
    } finally {
      await e2e.as('admin', SETTINGS, { method: 'PUT', body: { tokenUserGroups: [] } });
    }
  });

  // Two administrators at once: one lowers maxValidityMonths to 3 (which lowers the default with
  // it), the other sets defaultValidityMonths to 10, checked against the maximum it read (12). The
  // rows may end up with a default above the maximum, but the settings are never read that way.
  it('should never answer a default validity above the maximum, whatever two settings changes interleave', async () => {
    const held = hold(DefaultPluginSettings.prototype, 'write', (args) => args[1] === 'settings.defaultValidityMonths' && args[2] === '10');
    let raise: Promise<{ status: number }> | undefined;
    let lower: Promise<TestResponse> | undefined;
    try {
      raise = e2e.as('admin', SETTINGS, { method: 'PUT', body: { defaultValidityMonths: 10 } });
      await held.reached();
      lower = e2e.as('admin', SETTINGS, { method: 'PUT', body: { maxValidityMonths: 3 } });
      const early = await within(lower, 1500);
      if (early !== 'pending') expect(early.status, 'maximum lowered').to.equal(200);
    } finally {
      held.release();
      held.restore();
    }
    expect((await lower!).status, 'maximum lowered').to.equal(200);
    const late = await raise;
    try {
      const now = (await e2e.as('admin', SETTINGS)).json as { maxValidityMonths: number; defaultValidityMonths: number };
      expect(now.defaultValidityMonths, `default after the racing PUT (answered ${late?.status}); maximum ${now.maxValidityMonths}`).to.be.at.most(now.maxValidityMonths);
    } finally {
      await e2e.as('admin', SETTINGS, { method: 'PUT', body: { maxValidityMonths: 12, defaultValidityMonths: 12 } });
    }
  });

  // --- what held ---

  it('should hold a token created on someone\'s behalf to its creator who lost the on-behalf permission while it was stored', async () => {
    await e2e.host.runtime.users.createUser({ name: 'racemgr', password: 'racemgr-pw-1', email: 'racemgr@example.com', displayName: 'RACEMGR', groups: ['jira-software-users', 'token-managers'] });
    const held = hold(AO, 'executeInTransaction', (_args, stack) => /AoTokenStore\.insert \(/.test(stack));
    let creation: Promise<TestResponse> | undefined;
    try {
      creation = e2e.req(`${API}/user/token`, { method: 'POST', auth: ['racemgr', 'racemgr-pw-1'], body: { tokenForUserKey: e2e.users.carol.key, tokenDescription: 'on behalf, creator demoted' } }).then(keep);
      await held.reached();
      await e2e.host.runtime.users.removeUserFromGroup('racemgr', 'token-managers');
    } finally {
      held.release();
      held.restore();
    }
    const made = await creation!;
    if (made.status === 200) expect(await status(made.json!.plainTextToken!), 'held by a creator without the permission').to.equal(401);
    else expect(made.status).to.be.oneOf([401, 403]);
  });

  it('should neither fail nor bring back a token when a last-access flush runs into its deletion', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'flushed while deleted' });
    expect(await status(token.plainTextToken)).to.equal(200);
    const held = hold(AO, 'executeInBackgroundTransaction', (_args, stack) => stack.includes('recordLastAccess'));
    let flush: Promise<boolean> | undefined;
    try {
      flush = e2e.host.runJob(PLUGIN_KEY, 'last-access-flush-job');
      await held.reached();
      expect((await e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'DELETE' })).status).to.equal(200);
    } finally {
      held.release();
      held.restore();
    }
    await flush;
    expect((await ownTokens('alice')).map((t) => t.id)).not.to.include(token.id);
    expect(await status(token.plainTextToken)).to.equal(401);
    expect(alice().name).to.equal('alice');
  });
});
