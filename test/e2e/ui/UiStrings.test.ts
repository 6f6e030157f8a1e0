import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { IntlMessageFormat } from 'intl-messageformat';
import { formatMessage } from '../../../plugin/ui/shared/messageFormat';
import { readProperties, UI_BUNDLE_DIR } from './support/uiFixtures';
import { tsFilesUnder } from '../../support/sourceFiles';

const UI_DIR = path.resolve(__dirname, '../../../plugin/ui');
const DESCRIPTOR = path.resolve(__dirname, '../../../atlassian-plugin.json');

/** Every literal key of the page scripts (`t('key'`) and the server (`uiText(…, 'key'`), and the descriptor's labels. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of tsFilesUnder(UI_DIR)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\('([a-zA-Z.]+)'/g)) if (!m[1].endsWith('.')) keys.add(m[1]);
    for (const m of text.matchAll(/uiText\([^,]+,\s*[^,]+,\s*'([a-zA-Z.]+)'/g)) keys.add(m[1]);
  }
  const descriptor = JSON.parse(fs.readFileSync(DESCRIPTOR, 'utf8')) as { modules: Array<{ label?: string }> };
  for (const m of descriptor.modules) if (m.label?.startsWith('apitokenauth.ui.')) keys.add(m.label.slice('apitokenauth.ui.'.length));
  return keys;
}

describe('UiStrings', () => {
  const uiKeys = (file: string): Record<string, string> => Object.fromEntries(Object.entries(readProperties(path.join(UI_BUNDLE_DIR, file)))
    .filter(([k]) => k.startsWith('apitokenauth.ui.')));
  const en = uiKeys('apitokenauth.properties');
  const de = uiKeys('apitokenauth_de.properties');

  it('should define every key the UI uses, in English and German', () => {
    const used = usedKeys();
    expect(used.size).to.be.greaterThan(120);
    const missing = [...used].filter((k) => !(`apitokenauth.ui.${k}` in en) || !(`apitokenauth.ui.${k}` in de));
    expect(missing).to.deep.equal([]);
  });

  it('should have the same UI keys in both languages', () => {
    expect(Object.keys(de).sort()).to.deep.equal(Object.keys(en).sort());
  });

  it('should translate every message (no English left in the German bundle but names and codes)', () => {
    const same = Object.keys(en).filter((k) => en[k] === de[k] && /[a-z]{4,} [a-z]{4,}/.test(en[k]));
    expect(same).to.deep.equal([]);
  });

  it('should double every apostrophe, as MessageFormat patterns need', () => {
    const lone = [...Object.entries(en), ...Object.entries(de)].filter(([, m]) => m.replace(/''/g, '').includes("'")).map(([k]) => k);
    expect(lone).to.deep.equal([]);
  });

  it('should parse every pattern and never say "1 tokens" (plural forms in both languages)', () => {
    for (const [locale, bundle] of [['en', en], ['de', de]] as const) {
      for (const [key, pattern] of Object.entries(bundle)) {
        expect(() => new IntlMessageFormat(pattern, locale, undefined, { ignoreTag: true }), key).to.not.throw();
        expect(formatMessage(locale, pattern, [1, 1, 1]), key).to.not.match(/\b1 (tokens|uses|months|Tokens|Aufrufe|Monate)\b/);
      }
    }
    expect(formatMessage('en', en['apitokenauth.ui.admin.summary'], [1, 1, 1])).to.equal('Showing 1–1 of 1 token');
    expect(formatMessage('en', en['apitokenauth.ui.admin.summary'], [1, 25, 121])).to.equal('Showing 1–25 of 121 tokens');
    expect(formatMessage('de', de['apitokenauth.ui.admin.summary'], [1, 1, 1])).to.equal('1–1 von 1 Token');
    expect(formatMessage('de', de['apitokenauth.ui.token.useCount'], [3])).to.equal('3 Aufrufe');
  });
});
