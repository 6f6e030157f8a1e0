import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { RESTRICTION_ERROR_CODES } from '../../../plugin/restrictions';

const I18N = path.resolve(__dirname, '..', '..', '..', 'i18n');

function keysOf(file: string): Set<string> {
  const text = fs.readFileSync(path.join(I18N, file), 'latin1');
  return new Set(text.split(/\r?\n/).filter((l) => /^[^#!\s]/.test(l)).map((l) => l.slice(0, l.indexOf('=')).trim()));
}

describe('Restriction error messages', () => {
  it('should have an English and a German message for every error code (they are per-field 400 messages)', () => {
    for (const file of ['apitokenauth.properties', 'apitokenauth_de.properties']) {
      const keys = keysOf(file);
      const missing = RESTRICTION_ERROR_CODES.filter((code) => !keys.has(`apitokenauth.validation.restriction.${code}`));
      expect(missing, file).to.deep.equal([]);
    }
  });
});
