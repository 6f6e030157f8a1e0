// Secure mode across the nodes of a cluster (ClusterSecureMode) on the fake change log: it holds on
// every node while one node running the plugin has it, a mismatch is logged once per change on
// both sides, a leaving node no longer counts, a node that read the log again after falling behind
// asks everyone again, and a payload that is not an announcement changes nothing.
import { expect } from 'chai';
import { ClusterSecureMode, LEAVE_WAIT_MS, SECURE_MODE_CHANNEL } from '../../../plugin/service/ClusterSecureMode';
import { createCapturingLogger } from '../../support/spi-fakes/CapturingLogger';
import { FakeClusterMessagingService, FakeClusterNetwork } from '../../support/spi-fakes/FakeServices';

interface Node {
  readonly messaging: FakeClusterMessagingService;
  readonly mode: ClusterSecureMode;
  readonly lines: string[];
}

function node(id: string, own: boolean, network: FakeClusterNetwork): Node {
  const messaging = new FakeClusterMessagingService(id, network);
  const { logger, lines } = createCapturingLogger();
  return { messaging, mode: new ClusterSecureMode(own, messaging, logger), lines };
}

/** Delivers until nothing is queued (answers to questions are sent while delivering). */
async function settle(network: FakeClusterNetwork): Promise<void> {
  for (let i = 0; i < 5; i++) {
    network.deliver();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const errors = (n: Node) => n.lines.filter((line) => line.startsWith('error '));

/** node1 without secure mode, node2 with it, both started and heard by each other. */
async function startedPair(): Promise<{ network: FakeClusterNetwork; a: Node; b: Node }> {
  const network = new FakeClusterNetwork();
  const a = node('node1', false, network);
  const b = node('node2', true, network);
  await a.mode.start();
  await b.mode.start();
  await settle(network);
  return { network, a, b };
}

describe('ClusterSecureMode', () => {
  it('should hold on a node without the property while another node has it, whichever started first', async () => {
    for (const protectedFirst of [true, false]) {
      const network = new FakeClusterNetwork();
      const a = node('node1', protectedFirst, network);
      await a.mode.start();
      await settle(network);
      const b = node('node2', !protectedFirst, network);
      await b.mode.start();
      await settle(network);
      expect([a.mode.on, b.mode.on], `protected node first: ${protectedFirst}`).to.deep.equal([true, true]);
    }
  });

  it('should decide on a node just started without it only once the other nodes can have answered', async () => {
    const network = new FakeClusterNetwork();
    const a = node('node1', true, network);
    await a.mode.start();
    await settle(network);
    const b = node('node2', false, network);
    await b.mode.start();
    // The question is out, no answer read yet: a decision now waits rather than reading "off".
    const decision = b.mode.current();
    await settle(network);
    expect(await decision).to.equal(true);
    // Alone, a node decides "off" after the wait; stopping ends the wait at once.
    const alone = node('node3', false, new FakeClusterNetwork());
    await alone.mode.start();
    const pending = alone.mode.current();
    await alone.mode.close();
    expect(await pending).to.equal(false);
    await Promise.all([a.mode.close(), b.mode.close()]);
  });

  it('should stay off on every node when no node has it', async () => {
    const network = new FakeClusterNetwork();
    const a = node('node1', false, network);
    const b = node('node2', false, network);
    await a.mode.start();
    await b.mode.start();
    await settle(network);
    expect([a.mode.on, b.mode.on]).to.deep.equal([false, false]);
    expect(errors(a).concat(errors(b))).to.deep.equal([]);
  });

  it('should log the mismatch once on each side, naming the other node', async () => {
    const { network, a, b } = await startedPair();
    await a.mode.start();
    await b.mode.start();
    await settle(network);
    expect(errors(a)).to.have.length(1);
    expect(errors(a)[0]).to.include('"otherNode":"node2"').and.include('"otherSecureMode":true');
    expect(errors(b)).to.have.length(1);
    expect(errors(b)[0]).to.include('"otherNode":"node1"').and.include('"otherSecureMode":false');
  });

  it('should end on the other nodes when the last node with it leaves, and come back when it starts again', async () => {
    const { network, a, b } = await startedPair();
    await b.mode.close();
    await settle(network);
    expect(a.mode.on).to.equal(false);
    const again = node('node2', true, network);
    await again.mode.start();
    await settle(network);
    expect(a.mode.on).to.equal(true);
    expect(errors(a), 'logged again after the change').to.have.length(2);
  });

  it('should let a node restarted without the property end it', async () => {
    const { network, a } = await startedPair();
    // node2 died without leaving, then started again without the property.
    const restarted = node('node2', false, network);
    await restarted.mode.start();
    await settle(network);
    expect([a.mode.on, restarted.mode.on]).to.deep.equal([false, false]);
  });

  it('should ask every node again after reading the log again, and keep what it knew until answered', async () => {
    const { network, a } = await startedPair();
    const before = a.messaging.sent.length;
    a.messaging.resync();
    expect(a.mode.on, 'before any answer').to.equal(true);
    expect(a.messaging.sent.slice(before).map((m) => JSON.parse(m.payload))).to.deep.equal([{ on: false, ask: true, leaving: false }]);
    await settle(network);
    expect(a.mode.on).to.equal(true);
  });

  it('should stop within its bound when the leave message hangs (a stalled database)', async function () {
    this.timeout(5000);
    const messaging = new FakeClusterMessagingService('node1');
    const { logger } = createCapturingLogger();
    const mode = new ClusterSecureMode(true, messaging, logger);
    messaging.send = () => new Promise<void>(() => undefined);
    // Resolves (mocha's timeout, above the bound, catches a hang).
    expect(this.timeout()).to.be.greaterThan(LEAVE_WAIT_MS);
    await mode.close();
    expect(mode.on, 'its own setting still').to.equal(true);
  });

  it('should ignore payloads that are not announcements and its own messages', async () => {
    const network = new FakeClusterNetwork();
    const a = node('node1', false, network);
    const other = new FakeClusterMessagingService('node2', network);
    for (const payload of ['', 'true', 'null', '{"on":"yes","ask":false,"leaving":false}', '{"on":true}', '{"on":true,"ask":false,"leaving":"no"}']) {
      await other.send(SECURE_MODE_CHANNEL, payload);
    }
    await settle(network);
    expect(a.mode.on).to.equal(false);
    a.messaging.receive({ channel: SECURE_MODE_CHANNEL, payload: '{"on":true,"ask":false,"leaving":false}', fromNode: 'node1' });
    expect(a.mode.on, 'its own node id').to.equal(false);
  });
});
