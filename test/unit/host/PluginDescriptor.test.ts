import path from 'node:path';
import { expect } from 'chai';
import { parseDescriptor, PluginLoadError, readDescriptor } from '../../../host-sim/loader/PluginDescriptor';
import { aoPrefixFor, pluginAoPrefix } from '../../../host-sim/loader/aoSchema';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const base = { key: 'com.example.p', name: 'P', version: '1', main: 'index.ts' };

describe('PluginDescriptor', () => {
  it('should read the real plugin descriptor with its pinned AO prefixes', () => {
    const d = readDescriptor(path.join(ROOT, 'atlassian-plugin.json'));
    expect(d.key).to.equal('de.resolution.apitokenauth');
    expect(pluginAoPrefix(d, 'jira')).to.equal('AO_5D4005');
    expect(pluginAoPrefix(d, 'confluence')).to.equal('AO_2DF51C');
    expect(d.main).to.equal(path.join(ROOT, 'plugin', 'index.ts'));
  });

  it('should compute the AO prefix from the namespace when it is not pinned', () => {
    const d = parseDescriptor({ ...base, modules: [{ type: 'ao', key: 'ao', namespace: 'de.resolution.apitokenauth', entities: ['Token'], upgradeTasks: 'x' }] }, '/p/atlassian-plugin.json');
    expect(aoPrefixFor(d.modules[0] as never, 'jira')).to.equal('AO_01D1A0');
  });

  it('should apply defaults for weight and runOncePerCluster', () => {
    const d = parseDescriptor({ ...base, modules: [
      { type: 'servlet-filter', key: 'f', urlPattern: '/rest/*', location: 'before-login' },
      { type: 'job', key: 'j', intervalMs: 1000 },
    ] }, '/p/a.json');
    expect(d.modules[0]).to.include({ weight: 100 });
    expect(d.modules[1]).to.include({ runOncePerCluster: true });
  });

  const broken: Array<[string, unknown]> = [
    ['unknown module type', { type: 'gadget', key: 'g' }],
    ['missing rest version', { type: 'rest', key: 'r', path: '/x' }],
    ['missing filter location', { type: 'servlet-filter', key: 'f', urlPattern: '/rest/*' }],
    ['bad filter location', { type: 'servlet-filter', key: 'f', urlPattern: '/rest/*', location: 'somewhere' }],
    ['job without interval', { type: 'job', key: 'j' }],
    ['ao without entities', { type: 'ao', key: 'a', namespace: 'n', upgradeTasks: 'u' }],
    ['bad pinned prefix', { type: 'ao', key: 'a', namespace: 'n', entities: ['T'], upgradeTasks: 'u', prefix: 'AO_XYZ' }],
    ['web-item condition', { type: 'web-item', key: 'w', section: 's', label: 'l', link: '/x', condition: 'everyone' }],
    ['module without key', { type: 'rest', path: '/x', version: '1' }],
  ];
  for (const [what, module] of broken) {
    it(`should reject a descriptor with ${what}`, () => {
      expect(() => parseDescriptor({ ...base, modules: [module] }, '/p/a.json')).to.throw(PluginLoadError);
    });
  }

  it('should reject duplicate module keys and a missing main', () => {
    expect(() => parseDescriptor({ ...base, modules: [{ type: 'i18n', key: 'x', bundle: 'b' }, { type: 'i18n', key: 'x', bundle: 'b' }] }, '/a.json')).to.throw(PluginLoadError, 'twice');
    expect(() => parseDescriptor({ key: 'k', name: 'n', version: '1', modules: [] }, '/a.json')).to.throw(PluginLoadError, 'main');
  });

  it('should report an unreadable file clearly', () => {
    expect(() => readDescriptor('/nonexistent/atlassian-plugin.json')).to.throw(PluginLoadError, 'cannot read');
  });
});
