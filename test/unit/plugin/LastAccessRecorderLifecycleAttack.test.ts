// Uses of requests that finish after the plugin was disabled (the recorder closed): no job is
// left to flush them, so the recorder writes them itself — all of them, also those recorded
// while such a write is under way.
import { expect } from 'chai';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { LastAccessRecorder } from '../../../plugin/service/LastAccessRecorder';
import { generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

describe('LastAccessRecorder after close', () => {
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

  it('should write every use recorded after close, also one recorded while the previous one is being written', async () => {
    const rec = new LastAccessRecorder(store, host.logger);
    await rec.close();
    rec.record(id, 100, '10.0.0.1');
    rec.record(id, 200, '10.0.0.2');
    for (let i = 0; i < 50 && rec.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(rec.size).to.equal(0);
    expect(await store.get(id)).to.include({ lastAccessed: 200, lastIp: '10.0.0.2', useCount: 2 });
  });
});
