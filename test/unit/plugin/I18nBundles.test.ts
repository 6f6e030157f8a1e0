// Every user-facing string comes from i18n/*.properties, in English and German (docs/api.md). The
// page strings (`apitokenauth.ui.*`, UiStrings.test.ts) and the restriction error codes
// (errorMessages.test.ts) were pinned in both languages; the REST API's error messages, its field
// messages, notices and status warnings, the mails and the host's own messages were not: a key
// added in English only falls back to English for a German user, and nothing failed.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ERROR_CODES, i18nKeyOf, type ErrorCode } from '../../../plugin/errors/ErrorCode';
import { tsFilesUnder } from '../../support/sourceFiles';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const I18N = path.join(ROOT, 'i18n');

/** Keys and values of a bundle (one `key=value` per line is how this project writes them). */
function bundle(file: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of fs.readFileSync(path.join(I18N, file), 'latin1').split(/\r?\n/)) {
    if (!/^[^#!\s]/.test(line) || !line.includes('=')) continue;
    entries.set(line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim());
  }
  return entries;
}

/** Every literal field-message key of the plugin's DTOs (`says('key'`): i18n `apitokenauth.validation.<key>`. */
function fieldMessageKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of tsFilesUnder(path.join(ROOT, 'plugin'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bsays\('([A-Za-z]+)'/g)) keys.add(m[1]);
  }
  return keys;
}

/** Messages that are the same in both languages on purpose. */
const SAME_ON_PURPOSE = new Set([
  'hostsim.error.xsrf', // Jira's own wording, which clients match (docs/api.md)
]);

describe('i18n bundles', () => {
  for (const name of ['apitokenauth', 'hostsim']) {
    it(`should have the same keys in the English and German ${name} bundles`, () => {
      const en = bundle(`${name}.properties`);
      const de = bundle(`${name}_de.properties`);
      expect(en.size).to.be.greaterThan(50);
      expect([...en.keys()].filter((k) => !de.has(k)), 'missing in German').to.deep.equal([]);
      expect([...de.keys()].filter((k) => !en.has(k)), 'only in German').to.deep.equal([]);
    });

    it(`should translate every sentence of the ${name} bundle`, () => {
      const en = bundle(`${name}.properties`);
      const de = bundle(`${name}_de.properties`);
      const same = [...en].filter(([k, v]) => !SAME_ON_PURPOSE.has(k) && de.get(k) === v && /[a-z]{4,} [a-z]{4,}/.test(v)).map(([k]) => k);
      expect(same).to.deep.equal([]);
    });
  }

  it('should have a message for every error code of the REST API in both languages', () => {
    for (const file of ['apitokenauth.properties', 'apitokenauth_de.properties']) {
      const keys = bundle(file);
      const missing = (Object.keys(ERROR_CODES) as ErrorCode[]).map(i18nKeyOf).filter((k) => !keys.has(k));
      expect(missing, file).to.deep.equal([]);
    }
  });

  it('should have a message for every field error the plugin\'s DTOs give, in both languages', () => {
    const used = fieldMessageKeys();
    expect(used.size).to.be.greaterThan(10);
    for (const file of ['apitokenauth.properties', 'apitokenauth_de.properties']) {
      const keys = bundle(file);
      expect([...used].filter((k) => !keys.has(`apitokenauth.validation.${k}`)), file).to.deep.equal([]);
    }
  });
});
