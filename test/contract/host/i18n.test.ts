import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PropertiesI18nResolver, parseAcceptLanguage } from '../../../host-sim/impl/i18n/PropertiesI18nResolver';
import { parseProperties } from '../../../host-sim/impl/i18n/javaProperties';
import { formatMessage } from '../../../host-sim/impl/i18n/messageFormat';
import { forEachDatabase } from '../../support/databases';
import { HostCluster } from './hostFixture';

describe('parseProperties', () => {
  it('should read separators, comments, continuations and escapes as java.util.Properties does', () => {
    const text = [
      '# a comment',
      '! another comment',
      'plain=value',
      'colon: with colon',
      'space separated value',
      '   indented.key   =   trimmed before, kept after   ',
      'unicode=Gr\\u00fc\\u00dfe \\u2713',
      'multi=first \\',
      '      second \\',
      '  third',
      'escaped\\=key=v',
      'tabs=a\\tb\\nc',
      'trailing.backslash=ends with \\\\',
      'after=ok',
      'empty=',
      'emptykey',
    ].join('\n');
    expect(parseProperties(text)).to.deep.equal({
      plain: 'value',
      colon: 'with colon',
      space: 'separated value',
      'indented.key': 'trimmed before, kept after   ',
      unicode: 'Grüße ✓',
      multi: 'first second third',
      'escaped=key': 'v',
      tabs: 'a\tb\nc',
      'trailing.backslash': 'ends with \\',
      after: 'ok',
      empty: '',
      emptykey: '',
    });
  });

  it('should accept CRLF line ends and a byte-order mark', () => {
    expect(parseProperties('\uFEFFa=1\r\nb=2\r\n')).to.deep.equal({ a: '1', b: '2' });
  });
});

describe('formatMessage', () => {
  it('should replace placeholders and unquote apostrophes like MessageFormat', () => {
    expect(formatMessage('Token {0} of {1}', ['CI', 'alice'])).to.equal('Token CI of alice');
    expect(formatMessage("The user ''{0}'' doesn''t exist", ['bob'])).to.equal("The user 'bob' doesn't exist");
    expect(formatMessage("Quoted '{0}' stays", ['x'])).to.equal('Quoted {0} stays');
    expect(formatMessage('{1} before {0}', [1, 2])).to.equal('2 before 1');
    expect(formatMessage('Missing {3}', ['a'])).to.equal('Missing {3}');
  });
});

describe('parseAcceptLanguage', () => {
  it('should order tags by q-value and drop q=0 and *', () => {
    expect(parseAcceptLanguage('fr;q=0.5, de-DE, en;q=0.8, *;q=0.1, it;q=0')).to.deep.equal(['de-DE', 'en', 'fr']);
    expect(parseAcceptLanguage(undefined)).to.deep.equal([]);
  });
});

describe('PropertiesI18nResolver', () => {
  let dir: string;
  let resolver: PropertiesI18nResolver;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i18n-'));
    fs.writeFileSync(path.join(dir, 'plugin.properties'), "greeting=Hello {0}\nonly.en=English only\nquote=It''s {0}\n");
    fs.writeFileSync(path.join(dir, 'plugin_de.properties'), 'greeting=Hallo {0}\nquote=Das ist {0}\n');
    fs.writeFileSync(path.join(dir, 'plugin_pt_BR.properties'), 'greeting=Ol\\u00e1 {0}\n');
    fs.writeFileSync(path.join(dir, 'unrelated.properties'), 'greeting=nope\n');
    resolver = new PropertiesI18nResolver([path.join(dir, 'plugin')]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should list the locales that have a bundle, English first', () => {
    expect(resolver.supportedLocales()).to.deep.equal(['en', 'de', 'pt_BR']);
  });

  it('should look messages up by locale with English and then the key as fallbacks', () => {
    expect(resolver.getText('de', 'greeting', 'Welt')).to.equal('Hallo Welt');
    expect(resolver.getText('de_DE', 'greeting', 'Welt')).to.equal('Hallo Welt');
    expect(resolver.getText('de', 'only.en')).to.equal('English only');
    expect(resolver.getText('en', 'quote', 'mine')).to.equal("It's mine");
    expect(resolver.getText('pt_BR', 'greeting', 'Ana')).to.equal('Olá Ana');
    expect(resolver.getText('fr', 'greeting', 'monde')).to.equal('Hello monde');
    expect(resolver.getText('de', 'no.such.key')).to.equal('no.such.key');
  });

  it('should prefer the Accept-Language header, then the user locale, then English', () => {
    expect(resolver.resolveLocale('de-DE,de;q=0.9,en;q=0.8')).to.equal('de');
    expect(resolver.resolveLocale('fr;q=0.9, en;q=0.8', 'de_DE')).to.equal('en');
    expect(resolver.resolveLocale('fr, it', 'de_DE')).to.equal('de');
    expect(resolver.resolveLocale(undefined, 'de_DE')).to.equal('de');
    expect(resolver.resolveLocale('pt-BR')).to.equal('pt_BR');
    expect(resolver.resolveLocale('pt-PT')).to.equal('en');
    expect(resolver.resolveLocale('', 'ja_JP')).to.equal('en');
    expect(resolver.resolveLocale('en;q=0.2, de;q=0.7')).to.equal('de');
  });

  it('should give a whole bundle with English filled in', () => {
    expect(resolver.getBundle('de')).to.deep.equal({ greeting: 'Hallo {0}', 'only.en': 'English only', quote: 'Das ist {0}' });
  });
});

forEachDatabase('HostRuntime i18n', (kind) => {
  let cluster: HostCluster;

  before(async () => { cluster = await HostCluster.create(kind); });
  after(async () => { await cluster.cleanup(); });

  it('should resolve the host bundle and a plugin bundle bound to the plugin', async () => {
    const rt = await cluster.start();
    expect(rt.hostI18n.supportedLocales()).to.deep.equal(['en', 'de']);
    expect(rt.hostI18n.getText('de', 'hostsim.validation.required', 'bob')).to.equal("Das Feld 'bob' ist erforderlich.");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i18n-'));
    try {
      fs.writeFileSync(path.join(dir, 'p.properties'), 'k=v {0}\n');
      const services = rt.servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005', i18nBundle: path.join(dir, 'p') });
      expect(services.i18nResolver.getText('en', 'k', 1)).to.equal('v 1');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
