// The plugin's cache invalidations across nodes (plugin/service/InvalidationBus.ts). From the
// second attack review of session 12: an invalidation whose cluster message could not be sent
// (the database unreachable for a moment, after the change had committed) was dropped, and
// the other nodes went on accepting a revoked token from their caches.
import { expect } from 'chai';
import { InvalidationBus, type Invalidation } from '../../../plugin/service/InvalidationBus';
import { createCapturingLogger, FakeClusterMessagingService, FakeClusterNetwork } from '../../support/spi-fakes';

/** A node's messaging whose sends fail while `down` is set. */
class FlakyMessaging extends FakeClusterMessagingService {
  down = false;
  attempts = 0;

  override async send(channel: string, payload: string): Promise<void> {
    this.attempts++;
    if (this.down) throw new Error('database unreachable');
    await super.send(channel, payload);
  }
}

const RETRY = { firstRetryMs: 5, maxRetryMs: 20 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await sleep(5);
  expect(condition(), what).to.equal(true);
}

describe('InvalidationBus', () => {
  let network: FakeClusterNetwork;
  let flaky: FlakyMessaging;
  let bus: InvalidationBus;
  let received: Invalidation[];
  let closeOther: () => Promise<void>;

  beforeEach(() => {
    network = new FakeClusterNetwork();
    flaky = new FlakyMessaging('node1', network);
    bus = new InvalidationBus(flaky, createCapturingLogger().logger, RETRY);
    const other = new InvalidationBus(new FakeClusterMessagingService('node2', network), createCapturingLogger().logger, RETRY);
    received = [];
    other.subscribe((i) => received.push(i));
    closeOther = () => other.close();
  });
  afterEach(async () => {
    flaky.down = false;
    await bus.close();
    await closeOther();
  });

  it('should apply an invalidation on its own node and deliver it to the others', async () => {
    const local: Invalidation[] = [];
    bus.subscribe((i) => local.push(i));
    await bus.publish({ kind: 'tokens', publicIds: ['AAAAAAAAAAAA'] });
    network.deliver();
    expect(local).to.deep.equal([{ kind: 'tokens', publicIds: ['AAAAAAAAAAAA'] }]);
    expect(received).to.deep.equal([{ kind: 'tokens', publicIds: ['AAAAAAAAAAAA'] }]);
  });

  it('should fail the publish that cannot be sent, and send it again, in order, until the other nodes have it', async () => {
    flaky.down = true;
    const errors: unknown[] = [];
    await bus.publish({ kind: 'tokens', publicIds: ['REVOKED00001'] }).catch((err: unknown) => errors.push(err));
    await bus.publish({ kind: 'user', userKey: 'JIRAUSER10100' }).catch((err: unknown) => errors.push(err));
    expect(errors, 'both publishes fail while the cluster cannot be reached').to.have.length(2);
    expect((errors[0] as Error).message, 'with the send\'s own error (a 503 stays a 503)').to.equal('database unreachable');
    expect(bus.pending()).to.equal(2);
    await until(() => flaky.attempts >= 5, 'sent again while it fails');
    network.deliver();
    expect(received).to.deep.equal([]);
    flaky.down = false;
    await until(() => bus.pending() === 0, 'delivered once it can be');
    network.deliver();
    expect(received).to.deep.equal([{ kind: 'tokens', publicIds: ['REVOKED00001'] }, { kind: 'user', userKey: 'JIRAUSER10100' }]);
    await bus.publish({ kind: 'settings' });
    network.deliver();
    expect(received.at(-1)).to.deep.equal({ kind: 'settings' });
  });

  it('should make one last attempt when the plugin stops', async () => {
    flaky.down = true;
    await bus.publish({ kind: 'tokens', publicIds: ['REVOKED00002'] }).catch(() => undefined);
    flaky.down = false;
    await bus.close();
    network.deliver();
    expect(received).to.deep.equal([{ kind: 'tokens', publicIds: ['REVOKED00002'] }]);
  });

  it('should keep what it cannot send bounded: beyond 1,000, one invalidation of everything', async () => {
    flaky.down = true;
    for (let i = 0; i < 1500; i++) await bus.publish({ kind: 'tokens', publicIds: [`ID${String(i).padStart(10, '0')}`] }).catch(() => undefined);
    expect(bus.pending()).to.be.at.most(1001);
    flaky.down = false;
    await until(() => bus.pending() === 0, 'delivered');
    network.deliver();
    expect(received.some((i) => i.kind === 'all'), 'everything dropped on the other nodes').to.equal(true);
    expect(received.at(-1), 'and what came after it, in order').to.deep.equal({ kind: 'tokens', publicIds: ['ID0000001499'] });
    expect(received.length).to.be.below(1000);
  });

  it('should follow the host on whether this node is current, and drop everything when the host resyncs', () => {
    const local: Invalidation[] = [];
    bus.subscribe((i) => local.push(i));
    expect(bus.isCurrent()).to.equal(true);
    flaky.current = false;
    expect(bus.isCurrent()).to.equal(false);
    flaky.resync();
    expect(bus.isCurrent()).to.equal(true);
    expect(local).to.deep.equal([{ kind: 'all' }]);
    expect(received, 'a resync is this node\'s own, never sent').to.deep.equal([]);
  });
});

