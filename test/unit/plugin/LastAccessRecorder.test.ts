import { expect } from 'chai';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { DEFAULT_FLUSH_AT, LastAccessRecorder } from '../../../plugin/service/LastAccessRecorder';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

describe('LastAccessRecorder', () => {
  let host: FakeHost;
  let store: AoTokenStore;
  let id: number;
  beforeEach(async () => {
    host = await createFakeHost();
    store = new AoTokenStore(host.ao);
    const g = generateToken();
    const salt = newSalt();
    const r = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey: 'u', description: 'd', created: 1, createdBy: 'u',
      validUntil: 2, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null }, 100);
    id = r.ok ? r.token.id : 0;
  });
  afterEach(async () => { await host.close(); });

  it('should write nothing per use and one batch per flush', async () => {
    const rec = new LastAccessRecorder(store, host.logger);
    const writes = host.ao.statements.writes;
    for (let i = 0; i < 50; i++) rec.record(id, 1000 + i, '10.0.0.1');
    expect(host.ao.statements.writes).to.equal(writes);
    await rec.flush();
    const row = (await store.get(id))!;
    expect(row).to.include({ lastAccessed: 1049, lastIp: '10.0.0.1', useCount: 50 });
    expect(host.ao.statements.writes - writes).to.equal(1);
  });

  it('should merge nodes with MAX so that last access never moves backwards', async () => {
    const node1 = new LastAccessRecorder(store, host.logger);
    const node2 = new LastAccessRecorder(store, host.logger);
    node1.record(id, 5000, '10.0.0.1');
    node2.record(id, 3000, '10.0.0.2');
    node2.record(id, 4000, '10.0.0.2');
    await node1.flush();
    await node2.flush();
    expect(await store.get(id)).to.include({ lastAccessed: 5000, lastIp: '10.0.0.1', useCount: 3 });
  });

  it('should write the latest audited use with its IP, and leave the row\'s when a flush audited none', async () => {
    const node1 = new LastAccessRecorder(store, host.logger);
    const node2 = new LastAccessRecorder(store, host.logger);
    node1.record(id, 5000, '10.0.0.1', true);
    node1.record(id, 6000, '10.0.0.2');
    node2.record(id, 4000, '10.0.0.3', true);
    await node1.flush();
    await node2.flush();
    const audited = async () => { const c = (await store.findCredential((await store.get(id))!.publicId))!; return [c.auditedIp, c.auditedAt]; };
    expect(await audited(), 'an older audit from node2 does not move it back').to.deep.equal(['10.0.0.1', 5000]);
    node2.record(id, 9000, '10.0.0.3');
    await node2.flush();
    expect(await audited(), 'no audit in this flush').to.deep.equal(['10.0.0.1', 5000]);
    node2.record(id, 9500, '10.0.0.3', true);
    await node2.flush();
    expect(await audited()).to.deep.equal(['10.0.0.3', 9500]);
  });

  it('should keep the audited use for the next flush when the database is down', async () => {
    const rec = new LastAccessRecorder(store, host.logger);
    rec.record(id, 7000, '10.0.0.3', true);
    host.ao.available = false;
    await rec.flush().catch(() => undefined);
    rec.record(id, 7100, '10.0.0.4');
    host.ao.available = true;
    await rec.flush();
    const c = (await store.findCredential((await store.get(id))!.publicId))!;
    expect([c.auditedIp, c.auditedAt]).to.deep.equal(['10.0.0.3', 7000]);
  });

  it('should keep the data for the next flush when the database is down', async () => {
    const rec = new LastAccessRecorder(store, host.logger);
    rec.record(id, 7000, '10.0.0.3');
    host.ao.available = false;
    let failed = false;
    await rec.flush().catch(() => { failed = true; });
    expect(failed).to.equal(true);
    rec.record(id, 6000, '10.0.0.4');
    host.ao.available = true;
    await rec.flush();
    expect(await store.get(id)).to.include({ lastAccessed: 7000, lastIp: '10.0.0.3', useCount: 2 });
  });

  it('should start a flush without waiting for the job once many tokens are pending', async () => {
    const ids = [id];
    for (let i = 0; i < 3; i++) {
      const g = generateToken();
      const salt = newSalt();
      const r = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey: 'u', description: 'd', created: 1, createdBy: 'u',
        validUntil: 2, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null }, 100);
      if (r.ok) ids.push(r.token.id);
    }
    const rec = new LastAccessRecorder(store, host.logger, { flushAt: 3 });
    rec.record(ids[0], 100, '10.0.0.1');
    rec.record(ids[1], 100, '10.0.0.1');
    rec.record(ids[1], 101, '10.0.0.1');
    expect(rec.size).to.equal(2);
    rec.record(ids[2], 100, '10.0.0.1'); // the third pending token
    expect(rec.size, 'taken by the flush at once').to.equal(0);
    await rec.flush();
    expect((await store.get(ids[1]))!.useCount).to.equal(2);
  });

  it('should hold a large active set until the interval (499,999 tokens unwritten) and flush early at the 500,000th', async function () {
    this.timeout(20000);
    const rec = new LastAccessRecorder(store, host.logger);
    const writes = host.ao.statements.writes;
    for (let i = 1; i < 500_000; i++) rec.record(id + i, 100, '10.0.0.1');
    expect(rec.size).to.equal(499_999);
    expect(DEFAULT_FLUSH_AT).to.equal(500_000);
    expect(host.ao.statements.writes, 'no early flush below the threshold').to.equal(writes);
    rec.record(id, 100, '10.0.0.1');
    expect(rec.size, 'taken by the flush at once').to.equal(0);
    await rec.flush();
    expect((await store.get(id))!.useCount).to.equal(1);
  });

  it('should keep at most maxPending tokens while flushes fail, and say how many uses it dropped', async () => {
    const rec = new LastAccessRecorder(store, host.logger, { maxPending: 1 });
    host.ao.available = false;
    rec.record(id, 100, '10.0.0.1');
    await rec.flush().catch(() => undefined);
    rec.record(id + 1000, 100, '10.0.0.1');
    rec.record(id + 1001, 100, '10.0.0.1');
    expect(rec.size).to.equal(1);
    host.ao.available = true;
    await rec.flush();
    expect(host.logLines.some((l) => l.includes('dropped') && l.includes('"uses":2'))).to.equal(true);
    expect((await store.get(id))!.useCount).to.equal(1);
  });

  it('should write what is pending and what comes in during a flush on close', async () => {
    const rec = new LastAccessRecorder(store, host.logger);
    rec.record(id, 100, '10.0.0.1');
    const first = rec.flush();
    rec.record(id, 200, '10.0.0.2');
    await rec.close();
    await first;
    expect(await store.get(id)).to.include({ lastAccessed: 200, lastIp: '10.0.0.2', useCount: 2 });
    expect(rec.size).to.equal(0);
  });

  // Uses of requests that finish after the plugin was disabled (the recorder closed): no job is
  // left to flush them, so the recorder writes them itself.
  it('should write every use recorded after close, also one recorded while the previous one is being written', async () => {
    const rec = new LastAccessRecorder(store, host.logger);
    await rec.close();
    rec.record(id, 100, '10.0.0.1');
    rec.record(id, 200, '10.0.0.2');
    for (let i = 0; i < 50 && rec.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(rec.size).to.equal(0);
    expect(await store.get(id)).to.include({ lastAccessed: 200, lastIp: '10.0.0.2', useCount: 2 });
  });
  it('should write with flushThrough a use recorded while a flush that took its batch earlier is under way', async () => {
    const rec = new LastAccessRecorder(store, host.logger);
    rec.record(id, 100, '10.0.0.1');
    const first = rec.flush();
    rec.record(id, 200, '10.0.0.2');
    await rec.flushThrough();
    await first;
    expect(rec.size).to.equal(0);
    expect(await store.get(id)).to.include({ lastAccessed: 200, lastIp: '10.0.0.2', useCount: 2 });
  });
});
