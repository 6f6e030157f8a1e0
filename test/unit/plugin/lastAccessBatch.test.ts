import { expect } from 'chai';
import { listInSlices } from '../../../plugin/ao/lastAccessSql';
import type { LastAccessUpdate } from '../../../plugin/ao/TokenStore';

describe('lastAccessSql listInSlices', () => {
  const update = (tokenId: number): LastAccessUpdate => ({ tokenId, lastAccessed: tokenId * 10, lastIp: '10.0.0.1', useCountDelta: 1 });

  it('should hand a list over as it is', async () => {
    const list = [update(3), update(1)];
    expect(await listInSlices(list)).to.equal(list);
  });

  it('should copy a pending map of more than one slice into a list of its values, in order, giving the event loop turns', async () => {
    const pending = new Map<number, LastAccessUpdate>();
    for (let id = 1; id <= 120_000; id++) pending.set(id, update(id));
    let turns = 0;
    let counting = true;
    const count = () => { turns++; if (counting) setImmediate(count); };
    setImmediate(count);
    const list = await listInSlices(pending);
    counting = false;
    expect(list).to.have.length(120_000);
    expect(list[0]).to.equal(pending.get(1));
    expect(list[119_999]).to.equal(pending.get(120_000));
    expect(list.every((u, i) => u.tokenId === i + 1)).to.equal(true);
    expect(turns, 'turns of the event loop while copying').to.be.at.least(2);
  });

  it('should give an empty list for an empty map', async () => {
    expect(await listInSlices(new Map())).to.deep.equal([]);
  });
});
