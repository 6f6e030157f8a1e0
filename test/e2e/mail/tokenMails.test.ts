// docs/jobs-and-mail.md: expiry warnings, new-IP alerts and pruning against a real host with the real plugin,
// on SQLite and MariaDB, with mails delivered over SMTP to a local sink. Time is moved with the
// dev toolbox clock and the jobs are run through the dev toolbox.
import { expect } from 'chai';
import { until } from '../../support/cluster';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';
import { getFrom, startSmtpSink, type SmtpSink } from '../../support/smtpSink';

const DAY = 24 * 60 * 60 * 1000;
const PLUGIN = 'de.resolution.apitokenauth';

type Extra = Record<string, string>;
const extra = (event: Record<string, unknown>): Extra =>
  Object.fromEntries((event.extraAttributes as Array<{ name: string; value: string }>).map((a) => [a.name, a.value]));

forEachDatabase('Token mails and pruning (e2e, SMTP)', (kind) => {
  let sink: SmtpSink;
  let e2e: E2eEnv;
  let offset = 0;

  before(async function () {
    this.timeout(60_000);
    sink = await startSmtpSink();
    e2e = await startE2e('jira', kind, { SMTP_URL: sink.url });
  });
  after(async function () {
    this.timeout(30_000);
    try {
      await stopAndCheckLeaks(e2e);
    } finally {
      await sink?.close();
    }
  });

  const runJob = async (job: string): Promise<void> => {
    const res = await e2e.as('admin', `/rest/hostsim/1.0/jobs/${encodeURIComponent(`${PLUGIN}:${job}`)}/run`, { method: 'POST' });
    expect(res.status, res.text).to.equal(200);
    expect(res.json.ran).to.equal(true);
  };
  const moveClock = async (by: number): Promise<number> => {
    offset += by;
    const res = await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: offset } });
    expect(res.status, res.text).to.equal(200);
    return res.json.now as number;
  };
  const hostNow = async (): Promise<number> => (await e2e.as('admin', '/rest/hostsim/1.0/clock')).json.now as number;
  const outboxTo = async (address: string): Promise<Array<{ subject: string; text: string; html: string | null }>> =>
    ((await e2e.as('admin', '/rest/hostsim/1.0/mail')).json as Array<{ to: string; subject: string; text: string; html: string | null }>).filter((m) => m.to === address);

  /** The `token.pruned` audit events naming this token id (polled: the audit log may lag a moment). */
  const prunedEvents = (tokenId: string) => until(async () => {
    const events = (await e2e.auditEvents('token.pruned')).filter((ev) => extra(ev).tokenIds.split(',').includes(tokenId));
    return events.length > 0 ? events : null;
  }, 10_000, 100);

  it('should mail the owner at 7 days (once, although the job runs twice), at 1 day and on expiry', async function () {
    this.timeout(40_000);
    const alice = e2e.users.alice;
    const created = await e2e.createToken('alice', { tokenDescription: 'Nightly <build>', tokenExpirationDateTimeMillis: (await hostNow()) + 10 * DAY });
    await runJob('expiry-warning-job');
    expect(sink.to(alice.email)).to.have.length(0);

    await moveClock(3 * DAY + 60_000);
    await runJob('expiry-warning-job');
    await runJob('expiry-warning-job');
    const [seven] = await sink.waitFor(alice.email, 1);
    expect(seven.subject).to.equal('Your API token "Nightly <build>" expires in 7 days');
    const outbox = await outboxTo(alice.email);
    expect(outbox).to.have.length(1);
    expect(outbox[0].text).to.include(`(id ${created.id})`).and.include('/secure/ViewProfile.jspa');
    expect(outbox[0].html).to.include('Nightly &lt;build&gt;').and.include(`apitokenauth.rotate=${created.id}`);

    await moveClock(6 * DAY);
    await runJob('expiry-warning-job');
    await runJob('expiry-warning-job');
    const afterOneDay = await sink.waitFor(alice.email, 2);
    expect(afterOneDay[1].subject).to.equal('Your API token "Nightly <build>" expires within a day');

    await moveClock(DAY);
    await runJob('expiry-warning-job');
    await runJob('expiry-warning-job');
    const all = await sink.waitFor(alice.email, 3);
    expect(all[2].subject).to.equal('Your API token "Nightly <build>" has expired');
    expect(all[2].to).to.deep.equal([alice.email]);
    expect(sink.to(alice.email)).to.have.length(3);
    expect(await outboxTo(alice.email)).to.have.length(3);
  });

  it('should mail the owner once when the token is used from a new IP, and not on its first use', async function () {
    this.timeout(30_000);
    const bob = e2e.users.bob;
    const { plainTextToken, id } = await e2e.createToken('bob', { tokenDescription: 'Laptop' });
    const myself = `${e2e.host.url}/rest/api/2/myself`;
    expect(await getFrom('127.0.0.1', myself, [bob.name, plainTextToken])).to.equal(200);
    await runJob('new-ip-alert-job');
    expect(await outboxTo(bob.email)).to.have.length(0);

    expect(await getFrom('127.0.0.2', myself, [bob.name, plainTextToken])).to.equal(200);
    expect(await getFrom('127.0.0.2', myself, [bob.name, plainTextToken])).to.equal(200);
    await runJob('new-ip-alert-job');
    expect(await getFrom('127.0.0.2', myself, [bob.name, plainTextToken])).to.equal(200);
    expect(await getFrom('127.0.0.1', myself, [bob.name, plainTextToken])).to.equal(200);
    await runJob('new-ip-alert-job');

    const [mail] = await sink.waitFor(bob.email, 1);
    expect(mail.subject).to.equal('Your API token "Laptop" was used from a new IP address');
    const outbox = await outboxTo(bob.email);
    expect(outbox).to.have.length(1);
    expect(outbox[0].text).to.include('127.0.0.2').and.include(`(id ${id})`);
    expect(sink.to(bob.email)).to.have.length(1);
  });

  it('should prune tokens expired longer than pruneExpiredAfterDays and audit it', async function () {
    this.timeout(30_000);
    const carol = e2e.users.carol;
    const { plainTextToken, id } = await e2e.createToken('carol', { tokenExpirationDateTimeMillis: (await hostNow()) + 2 * DAY });
    const keep = await e2e.createToken('carol', { tokenExpirationDateTimeMillis: (await hostNow()) + 200 * DAY });
    await moveClock(40 * DAY);
    await runJob('token-prune-job');
    const listed = await e2e.as('carol', `${API}/user/token`);
    expect(listed.status).to.equal(200);
    expect((listed.json as Array<{ id: number }>).map((t) => t.id)).to.deep.equal([keep.id]);
    const events = await prunedEvents(String(id));
    expect(events).to.have.length(1);
    expect(extra(events[0])).to.include({ reason: 'EXPIRED' });
    expect(JSON.stringify(events)).to.not.include(plainTextToken.slice(20));
    expect((await e2e.req('/rest/api/2/myself', { auth: [carol.name, plainTextToken] })).status).to.equal(401);
  });

  it('should prune the tokens of a user at once when the user is deleted', async function () {
    this.timeout(30_000);
    const created = await e2e.as('admin', '/rest/api/2/user', {
      method: 'POST', body: { name: 'dave', password: 'dave-pw-1', emailAddress: 'dave@example.com', displayName: 'Dave' },
    });
    expect(created.status, created.text).to.equal(201);
    const token = await e2e.req(`${API}/user/token`, { method: 'POST', body: {}, auth: ['dave', 'dave-pw-1'] });
    expect(token.status, token.text).to.equal(200);
    e2e.issued.push(token.json.plainTextToken);
    expect((await e2e.req('/rest/api/2/myself', { bearer: token.json.plainTextToken })).status).to.equal(200);
    const deleted = await e2e.as('admin', '/rest/api/2/user?username=dave', { method: 'DELETE' });
    expect(deleted.status, deleted.text).to.be.oneOf([200, 204]);
    const events = await prunedEvents(String(token.json.id));
    expect(events).to.have.length(1);
    expect(extra(events[0])).to.include({ reason: 'OWNER_DELETED', count: '1' });
    expect((await e2e.req('/rest/api/2/myself', { bearer: token.json.plainTextToken })).status).to.equal(401);
  });
});
