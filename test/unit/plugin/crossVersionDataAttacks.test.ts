// Attack review (2026-12-04): data across versions, the cluster messages. In a rolling upgrade a
// node of another plugin version writes invalidations to the same change log: one of a kind this
// version does not know (a newer way to name revoked tokens) or of a shape it cannot read must not
// leave a revoked token accepted from this node's cache, nor throw inside a listener. The e2e side
// (rows, settings, downgrades): test/e2e/plugin/crossVersionDataAttacks.
import { expect } from 'chai';
import { INVALIDATION_CHANNEL, InvalidationBus, type Invalidation } from '../../../plugin/service/InvalidationBus';
import { mergeSettings, settingsFromStorage, unreadableLists } from '../../../plugin/service/Settings';
import { loosenedSettings } from '../../../plugin/service/SettingsLoosening';
import { createCapturingLogger, FakeClusterMessagingService, FakeClusterNetwork } from '../../support/spi-fakes';

describe('Data across versions: cluster invalidations another version sent', () => {
  let network: FakeClusterNetwork;
  let newer: FakeClusterMessagingService;
  let bus: InvalidationBus;
  let received: Invalidation[];
  let lines: string[];

  beforeEach(() => {
    network = new FakeClusterNetwork();
    newer = new FakeClusterMessagingService('node-newer', network);
    const capturing = createCapturingLogger();
    lines = capturing.lines;
    bus = new InvalidationBus(new FakeClusterMessagingService('node-this', network), capturing.logger);
    received = [];
    bus.subscribe((i) => received.push(i));
  });
  afterEach(() => bus.close());

  const receive = async (payload: string): Promise<Invalidation[]> => {
    received = [];
    await newer.send(INVALIDATION_CHANNEL, payload);
    network.deliver();
    return received;
  };

  it('should drop every cache for a kind this version does not know (finding: it was ignored, a revoked token stayed cached)', async () => {
    for (const payload of [
      '{"kind":"tokenIds","ids":[5,6]}',
      '{"kind":"stringIds","stringIds":["asp_0123456789abcdef"]}',
      '{"kind":"TOKENS","publicIds":["AAAAAAAAAAAA"]}',
      '{"kind":""}',
    ]) {
      expect(await receive(payload), payload).to.deep.equal([{ kind: 'all' }]);
    }
    expect(lines.some((l) => l.includes('could not be read'))).to.equal(true);
  });

  it('should drop every cache for a known kind of a shape it cannot read (finding: the token cache threw and the other listeners missed it)', async () => {
    for (const payload of [
      '{"kind":"tokens"}',
      '{"kind":"tokens","publicIds":"AAAAAAAAAAAA"}',
      '{"kind":"tokens","publicIds":[1,2]}',
      '{"kind":"tokens","publicIds":{"0":"AAAAAAAAAAAA","length":1}}',
      '{"kind":"user"}',
      '{"kind":"user","userKey":42}',
      '{"kind":7}',
      '{}',
      '[]',
      'null',
      '"tokens"',
      'tokens:AAAAAAAAAAAA',
      '',
    ]) {
      expect(await receive(payload), payload).to.deep.equal([{ kind: 'all' }]);
    }
  });

  it('should pass on the kinds it knows as they were sent, a newer field beside them ignored (held)', async () => {
    expect(await receive('{"kind":"tokens","publicIds":["AAAAAAAAAAAA"]}')).to.deep.equal([{ kind: 'tokens', publicIds: ['AAAAAAAAAAAA'] }]);
    expect(await receive('{"kind":"tokens","publicIds":["AAAAAAAAAAAA"],"stringIds":["asp_x"]}')).to.deep.equal([{ kind: 'tokens', publicIds: ['AAAAAAAAAAAA'] }]);
    expect(await receive('{"kind":"user","userKey":"JIRAUSER10100"}')).to.deep.equal([{ kind: 'user', userKey: 'JIRAUSER10100' }]);
    expect(await receive('{"kind":"settings","keys":["ipAllowlist"]}')).to.deep.equal([{ kind: 'settings' }]);
    expect(await receive('{"kind":"all"}')).to.deep.equal([{ kind: 'all' }]);
    expect(await receive('{"kind":"tokens","publicIds":[]}')).to.deep.equal([{ kind: 'tokens', publicIds: [] }]);
  });

  it('should not let a listener that throws keep the others from an invalidation (held by the fix above: none gets a malformed one)', async () => {
    const others: Invalidation[] = [];
    bus.subscribe((i) => others.push(i));
    await receive('{"kind":"tokens"}');
    expect(others).to.deep.equal([{ kind: 'all' }]);
  });
});

describe('Data across versions: settings another version stored', () => {
  const stored = {
    'settings.ipAllowlist': '[{"cidr":"10.0.0.0/8"}]',
    'settings.tokenUserGroups': '{"groups":["jira-administrators"]}',
    'settings.readOnlyOnlyGroups': 'not json',
    'settings.certificateAuth': '{"enabled":true}',
  };

  it('should mark the lists it cannot read, keep them out of the JSON answer and ignore keys it does not know', () => {
    const settings = settingsFromStorage(stored);
    expect([...unreadableLists(settings)].sort()).to.deep.equal(['ipAllowlist', 'readOnlyOnlyGroups', 'tokenUserGroups']);
    expect(JSON.parse(JSON.stringify(settings))).not.to.have.any.keys('unreadableLists', 'certificateAuth');
    expect(unreadableLists(settingsFromStorage({}))).to.deep.equal([]);
  });

  it('should count replacing an unreadable list as loosening, so that a token cannot do it (finding: [] read as the loosest, any list as tightening)', () => {
    const current = settingsFromStorage(stored);
    for (const change of [{ ipAllowlist: ['0.0.0.0/0', '::/0'] }, { tokenUserGroups: ['jira-software-users'] }, { readOnlyOnlyGroups: ['nobody-group'] }]) {
      const merged = mergeSettings(current, change);
      if (!merged.ok) return expect.fail(JSON.stringify(merged.errors));
      expect(loosenedSettings(current, merged.value), JSON.stringify(change)).to.deep.equal(Object.keys(change));
    }
    const unrelated = mergeSettings(current, { notifyOnNewIp: true });
    if (!unrelated.ok) return expect.fail('merge');
    expect(loosenedSettings(current, unrelated.value), 'the unreadable lists are left as stored').to.deep.equal([]);
  });
});
