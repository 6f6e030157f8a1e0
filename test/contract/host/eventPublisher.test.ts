import { expect } from 'chai';
import type { HostEvent } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

forEachDatabase('DefaultEventPublisher', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should await local listeners, survive failing ones and reach other nodes once', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const local: string[] = [];
    const remote: HostEvent[] = [];
    a.eventPublisher.subscribe('plugin-enabled', async () => { throw new Error('listener bug'); });
    a.eventPublisher.subscribe('plugin-enabled', async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      local.push(e.pluginKey);
    });
    b.eventPublisher.subscribe('plugin-enabled', (e) => { remote.push(e); });
    const unsubscribed: HostEvent[] = [];
    const remove = b.eventPublisher.subscribe('plugin-enabled', (e) => { unsubscribed.push(e); });
    remove();

    await a.eventPublisher.publish({ type: 'plugin-enabled', pluginKey: 'x' });
    expect(local).to.deep.equal(['x']);
    await waitFor(() => remote.length === 1, 1000, 'the event on node 2');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(remote).to.deep.equal([{ type: 'plugin-enabled', pluginKey: 'x' }]);
    expect(local).to.deep.equal(['x']);
    expect(unsubscribed).to.deep.equal([]);
  });
});
