import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { readProperties, UI_BUNDLE_DIR } from './support/uiFixtures';

const UI_DIR = path.resolve(__dirname, '../../../plugin/ui');

/** Every literal `t('key')` in the page scripts and `uiText(…, 'key')` on the server. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of fs.readdirSync(path.join(UI_DIR, 'static')).filter((f) => f.endsWith('.js'))) {
    const text = fs.readFileSync(path.join(UI_DIR, 'static', file), 'utf8');
    for (const m of text.matchAll(/\bt\('([a-zA-Z.]+)'/g)) if (!m[1].endsWith('.')) keys.add(m[1]);
  }
  for (const file of fs.readdirSync(UI_DIR).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(UI_DIR, file), 'utf8');
    for (const m of text.matchAll(/uiText\([^,]+,\s*[^,]+,\s*'([a-zA-Z.]+)'/g)) keys.add(m[1]);
  }
  return keys;
}

describe('UiStrings', () => {
  const uiKeys = (file: string): Record<string, string> => Object.fromEntries(Object.entries(readProperties(path.join(UI_BUNDLE_DIR, file)))
    .filter(([k]) => k.startsWith('apitokenauth.ui.')));
  const en = uiKeys('apitokenauth.properties');
  const de = uiKeys('apitokenauth_de.properties');

  it('should define every key the UI uses, in English and German', () => {
    const used = usedKeys();
    expect(used.size).to.be.greaterThan(100);
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
});
