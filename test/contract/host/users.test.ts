import { expect } from 'chai';
import { pbkdf2Sync } from 'node:crypto';
import type { Database } from '../../../host-sim/impl/db/Database';
import { HostError } from '../../../host-sim/impl/HostError';
import type { HostRuntime } from '../../../host-sim/impl/HostRuntime';
import type { HostEvent } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

async function credentialOf(runtime: HostRuntime, name: string): Promise<string> {
  const rows = await (runtime.db as Database).query<{ CREDENTIAL: string }>('SELECT CREDENTIAL FROM HOST_USER WHERE LOWER_USER_NAME = ?', [name]);
  return rows[0].CREDENTIAL;
}

async function errorOf(fn: () => Promise<unknown>): Promise<unknown> {
  try { await fn(); } catch (err) { return err; }
  return null;
}

forEachDatabase('DefaultUserAdministration', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should seed the Jira admin with key admin in the Jira groups', async () => {
    const jira = await cluster.start({ product: 'jira' });
    expect(await jira.users.getStoredUser('ADMIN')).to.deep.include({ key: 'admin', name: 'admin', active: true, groups: ['jira-administrators', 'jira-software-users'] });
    expect(await jira.users.isSystemAdmin('admin')).to.equal(true);
    expect(await jira.users.checkPassword('admin', 'admin')).to.include({ key: 'admin' });
  });

  it('should find a user by name or key only exactly: a trailing space finds nobody, also after the user was cached', async () => {
    // MariaDB compares with PAD SPACE ('alice ' = 'alice'); found in the attack review of 2026-12-02,
    // where the cache then kept alice under 'alice ' beyond her deactivation.
    const jira = await cluster.start();
    const alice = await jira.users.createUser({ name: 'alice', password: 'alice-pw', email: 'alice@example.com', displayName: 'Alice' });
    expect(await jira.users.getUserByName('ALICE')).to.include({ key: alice.key });
    for (const name of ['alice ', 'alice  ', 'ALICE ']) expect(await jira.users.getUserByName(name), name).to.equal(null);
    expect(await jira.users.getUserByKey(`${alice.key} `)).to.equal(null);
    expect(await jira.users.checkPassword('alice ', 'alice-pw')).to.equal(null);
    await jira.users.setActive('alice', false);
    expect(await jira.users.getUserByName('alice ')).to.equal(null);
    expect((await jira.users.getUserByName('alice'))?.active).to.equal(false);
  });

  it('should seed the Confluence admin with key admin in the Confluence groups', async () => {
    const confluence = await cluster.start({ product: 'confluence' });
    expect((await confluence.users.getStoredUser('admin'))?.groups).to.deep.equal(['confluence-administrators', 'confluence-users']);
    expect(await confluence.permissionManager.hasGlobalPermission('admin', 'SYSTEM_ADMIN')).to.equal(true);
  });

  it('should give new Jira users sequential JIRAUSER keys, also across nodes', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const keys = [];
    keys.push((await a.users.createUser({ name: 'u1', password: 'p', email: 'u1@example.com', displayName: 'U1' })).key);
    keys.push((await b.users.createUser({ name: 'u2', password: 'p', email: 'u2@example.com', displayName: 'U2' })).key);
    const parallel = await Promise.all([3, 4, 5].map((i) => (i % 2 ? a : b).users.createUser({ name: `u${i}`, password: 'p', email: '', displayName: '' })));
    keys.push(...parallel.map((u) => u.key));
    expect(keys.slice(0, 2)).to.deep.equal(['JIRAUSER10100', 'JIRAUSER10101']);
    expect([...keys].sort()).to.deep.equal(['JIRAUSER10100', 'JIRAUSER10101', 'JIRAUSER10102', 'JIRAUSER10103', 'JIRAUSER10104']);
    expect((await b.users.getStoredUser('u1'))?.groups).to.deep.equal(['jira-software-users']);
  });

  it('should give new Confluence users 32-hex-digit keys', async () => {
    const confluence = await cluster.start({ product: 'confluence' });
    const user = await confluence.users.createUser({ name: 'carol', password: 'p', email: 'c@example.com', displayName: 'Carol' });
    expect(user.key).to.match(/^[0-9a-f]{32}$/);
    expect(user.groups).to.deep.equal(['confluence-users']);
    expect(await confluence.users.getUserByKey(user.key)).to.include({ name: 'carol' });
  });

  it('should find every user with an e-mail address, case-insensitively', async () => {
    const rt = await cluster.start();
    await rt.users.createUser({ name: 'ann', password: 'p', email: 'Shared@Example.com', displayName: 'Ann' });
    await rt.users.createUser({ name: 'ben', password: 'p', email: 'shared@example.com', displayName: 'Ben' });
    await rt.users.createUser({ name: 'cid', password: 'p', email: 'other@example.com', displayName: 'Cid' });
    expect((await rt.users.findUsersByEmail('SHARED@example.com')).map((u) => u.name)).to.deep.equal(['ann', 'ben']);
    expect(await rt.users.findUsersByEmail('nobody@example.com')).to.deep.equal([]);
    expect((await rt.users.searchUsers('BE', 10)).map((u) => u.name)).to.deep.equal(['ben']);
    expect((await rt.users.searchUsers('%', 10))).to.deep.equal([]);
    // SQLite's LIKE ends its pattern at a NUL (so "\u0000" matched everyone there): no name holds one.
    for (const query of ['\u0000', 'b\u0000', '\u0000x']) expect(await rt.users.searchUsers(query, 10), JSON.stringify(query)).to.deep.equal([]);
  });

  it('should store PKCS5S2 hashes of a 16-byte salt and a 32-byte PBKDF2-HMAC-SHA1 of 10,000 iterations', async () => {
    const rt = await cluster.start();
    await rt.users.createUser({ name: 'dora', password: 'correct horse', email: 'd@example.com', displayName: 'Dora' });
    const stored = await credentialOf(rt, 'dora');
    expect(stored).to.match(/^\{PKCS5S2\}[A-Za-z0-9+/]{64}$/);
    const bytes = Buffer.from(stored.slice('{PKCS5S2}'.length), 'base64');
    expect(bytes.length).to.equal(48);
    expect(pbkdf2Sync('correct horse', bytes.subarray(0, 16), 10000, 32, 'sha1').equals(bytes.subarray(16))).to.equal(true);
    expect(await rt.users.checkPassword('dora', 'correct horse')).to.include({ name: 'dora' });
    expect(await rt.users.checkPassword('DORA', 'correct horse')).to.include({ name: 'dora' });
    expect(await rt.users.checkPassword('dora', 'wrong')).to.equal(null);
    expect(await rt.users.checkPassword('nobody', 'correct horse')).to.equal(null);
  });

  it('should verify a PKCS5S2 hash produced independently of the host', async () => {
    const rt = await cluster.start();
    await rt.users.createUser({ name: 'emil', password: 'unused', email: 'e@example.com', displayName: 'Emil' });
    const salt = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const hash = `{PKCS5S2}${Buffer.concat([salt, pbkdf2Sync('s3cret', salt, 10000, 32, 'sha1')]).toString('base64')}`;
    await (rt.db as Database).execute('UPDATE HOST_USER SET CREDENTIAL = ? WHERE LOWER_USER_NAME = ?', [hash, 'emil']);
    await rt.users.setActive('emil', true); // any change invalidates the cached row
    expect(await rt.users.checkPassword('emil', 's3cret')).to.include({ name: 'emil' });
    expect(await rt.users.checkPassword('emil', 'unused')).to.equal(null);
  });

  it('should refuse passwords of inactive users and announce deactivation on every node', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const user = await a.users.createUser({ name: 'finn', password: 'pw', email: 'f@example.com', displayName: 'Finn' });
    expect(await b.users.getUserByName('finn')).to.include({ active: true });
    const seen: HostEvent[] = [];
    b.eventPublisher.subscribe('user-deactivated', (event) => { seen.push(event); });
    await a.users.setActive('finn', false);
    expect(await a.users.checkPassword('finn', 'pw')).to.equal(null);
    await waitFor(() => seen.length === 1, 1000, 'user-deactivated on node 2');
    expect(seen[0]).to.deep.equal({ type: 'user-deactivated', userKey: user.key, userName: 'finn' });
    expect(await b.users.getUserByName('finn')).to.include({ active: false });
    expect(await b.permissionManager.hasGlobalPermission(user.key, 'USE')).to.equal(false);
  });

  it('should answer peekUserByKey from the node cache only, and drop it when another node changes the user', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const user = await a.users.createUser({ name: 'hal', password: 'pw', email: 'h@example.com', displayName: 'Hal' });
    expect(b.users.peekUserByKey(user.key)).to.equal(undefined);
    expect(await b.users.getUserByKey(user.key)).to.include({ name: 'hal', active: true });
    expect(b.users.peekUserByKey(user.key)).to.include({ name: 'hal', active: true });
    await a.users.setActive('hal', false);
    await waitFor(() => b.users.peekUserByKey(user.key) === undefined, 1000, 'cache entry dropped on node 2');
    expect(await b.users.getUserByKey(user.key)).to.include({ active: false });
    expect(b.users.peekUserByKey(user.key)).to.include({ active: false });
    expect(await b.users.getUserByKey('no-such-key')).to.equal(null);
    expect(b.users.peekUserByKey('no-such-key')).to.equal(null);
  });

  it('should answer peekStoredUser from the node cache only, as getStoredUser, and follow a group change made on another node', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    await a.users.createUser({ name: 'ida', password: 'pw', email: 'i@example.com', displayName: 'Ida' });
    expect(b.users.peekStoredUser('IDA')).to.equal(undefined);
    const stored = await b.users.getStoredUser('ida');
    expect(b.users.peekStoredUser('IDA')).to.equal(stored);
    await a.users.addUserToGroup('ida', 'jira-administrators');
    await waitFor(() => b.users.peekStoredUser('ida') === undefined, 1000, 'cache entry dropped on node 2');
    expect((await b.users.getStoredUser('ida'))?.groups).to.include('jira-administrators');
    expect(b.users.peekStoredUser('ida')?.groups).to.include('jira-administrators');
    expect(await b.users.getStoredUser('nobody')).to.equal(null);
    expect(b.users.peekStoredUser('nobody')).to.equal(null);
  });

  it('should delete a user, publish user-deleted and forget the user on every node', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const user = await a.users.createUser({ name: 'gus', password: 'pw', email: 'g@example.com', displayName: 'Gus' });
    expect(await b.users.getUserByKey(user.key)).to.include({ name: 'gus' });
    const local: HostEvent[] = [];
    const remote: HostEvent[] = [];
    a.eventPublisher.subscribe('user-deleted', (event) => { local.push(event); });
    b.eventPublisher.subscribe('user-deleted', (event) => { remote.push(event); });
    const session = await a.sessions.create(user.key);
    expect(await a.users.deleteUser('GUS')).to.equal(true);
    expect(local).to.deep.equal([{ type: 'user-deleted', userKey: user.key, userName: 'gus' }]);
    await waitFor(() => remote.length === 1, 1000, 'user-deleted on node 2');
    expect(await b.users.getUserByKey(user.key)).to.equal(null);
    expect(await b.users.getUserByName('gus')).to.equal(null);
    expect(await a.sessions.get(session)).to.equal(null);
    expect(await a.users.deleteUser('gus')).to.equal(false);
    expect(local).to.have.length(1);
  });

  it('should manage groups and refuse bad input with typed errors', async () => {
    const rt = await cluster.start();
    await rt.users.createUser({ name: 'hana', password: 'pw', email: 'h@example.com', displayName: 'Hana' });
    await rt.users.createGroup('testers');
    await rt.users.addUserToGroup('hana', 'Testers');
    expect(await rt.users.getGroupNames((await rt.users.getUserByName('hana'))!.key)).to.deep.equal(['jira-software-users', 'testers']);
    await rt.users.removeUserFromGroup('hana', 'testers');
    expect((await rt.users.getStoredUser('hana'))?.groups).to.deep.equal(['jira-software-users']);
    expect(await rt.users.listGroups()).to.include.members(['jira-administrators', 'jira-software-users', 'testers']);
    const codes = await Promise.all([
      errorOf(() => rt.users.createUser({ name: 'HANA', password: 'pw', email: '', displayName: '' })),
      errorOf(() => rt.users.createUser({ name: 'has space', password: 'pw', email: '', displayName: '' })),
      errorOf(() => rt.users.createUser({ name: 'nul\u0000name', password: 'pw', email: '', displayName: '' })),
      errorOf(() => rt.users.createUser({ name: 'esc\u001b[2K', password: 'pw', email: '', displayName: '' })),
      errorOf(() => rt.users.createUser({ name: 'ivan', password: '', email: '', displayName: '' })),
      errorOf(() => rt.users.addUserToGroup('hana', 'no-such-group')),
      errorOf(() => rt.users.setActive('nobody', false)),
      errorOf(() => rt.users.createGroup('testers')),
    ]);
    expect(codes.map((e) => (e as HostError).code)).to.deep.equal(
      ['USER_EXISTS', 'INVALID_INPUT', 'INVALID_INPUT', 'INVALID_INPUT', 'INVALID_INPUT', 'GROUP_NOT_FOUND', 'USER_NOT_FOUND', 'GROUP_EXISTS']);
  });

  it('should update profile fields and passwords', async () => {
    const rt = await cluster.start();
    await rt.users.createUser({ name: 'jo', password: 'old', email: 'jo@example.com', displayName: 'Jo' });
    const updated = await rt.users.updateUser('jo', { email: 'JO@new.example.com', displayName: 'Jo Doe', locale: 'de_DE', timeZone: 'Europe/Berlin' });
    expect(updated).to.include({ email: 'JO@new.example.com', displayName: 'Jo Doe', locale: 'de_DE', timeZone: 'Europe/Berlin' });
    expect((await rt.users.findUsersByEmail('jo@new.example.com')).map((u) => u.name)).to.deep.equal(['jo']);
    await rt.users.setPassword('jo', 'new');
    expect(await rt.users.checkPassword('jo', 'old')).to.equal(null);
    expect(await rt.users.checkPassword('jo', 'new')).to.include({ name: 'jo' });
    expect((await rt.users.listUsers(0, 10)).map((u) => u.name)).to.deep.equal(['admin', 'jo']);
    expect((await rt.users.listUsers(1, 10)).map((u) => u.name)).to.deep.equal(['jo']);
  });

  it('should end every session of a user whose password is set (a cookie taken with the old one stops working)', async () => {
    const rt = await cluster.start();
    await rt.users.createUser({ name: 'jo', password: 'old', email: 'jo@example.com', displayName: 'Jo' });
    const jo = (await rt.users.getUserByName('jo'))!;
    const [mine, admins] = [await rt.sessions.create(jo.key), await rt.sessions.create('admin')];
    await rt.users.setPassword('jo', 'new');
    expect(await rt.sessions.get(mine)).to.equal(null);
    expect(await rt.sessions.get(admins)).to.include({ userKey: 'admin' });
  });
});
