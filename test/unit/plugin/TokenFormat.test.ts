import { expect } from 'chai';
import { crc32 } from '../../../plugin/token/crc32';
import { BASE62_ALPHABET, encodeBase62, randomBase62 } from '../../../plugin/token/base62';
import {
  formatToken, generateStringId, generateToken, looksLikeToken, parseToken, SECRET_ENTROPY_BITS, STRING_ID_REGEX,
  TOKEN_LENGTH, TOKEN_PREFIX, tokenChecksum, tokenScannerRegex,
} from '../../../plugin/token/TokenFormat';

describe('TokenFormat', () => {
  it('should compute CRC32 of the standard check string as 0xCBF43926', () => {
    expect(crc32('123456789')).to.equal(0xcbf43926);
    expect(crc32('')).to.equal(0);
  });

  it('should encode base62 with left padding', () => {
    expect(encodeBase62(0, 6)).to.equal('000000');
    expect(encodeBase62(61, 2)).to.equal('0z');
    expect(encodeBase62(62, 2)).to.equal('10');
    expect(encodeBase62(0xffffffff, 6)).to.equal('4gfFC3');
    expect(() => encodeBase62(62 ** 2, 2)).to.throw(RangeError);
  });

  it('should draw random base62 from the whole alphabet', () => {
    const sample = randomBase62(20000);
    expect(sample).to.have.length(20000);
    expect(new Set(sample).size).to.equal(62);
    expect([...sample].every((c) => BASE62_ALPHABET.includes(c))).to.equal(true);
  });

  it('should generate tokens of the documented shape with at least 160 bits of secret', () => {
    expect(SECRET_ENTROPY_BITS).to.be.at.least(160);
    const t = generateToken();
    expect(t.plainText).to.have.length(TOKEN_LENGTH);
    expect(t.plainText.startsWith(TOKEN_PREFIX)).to.equal(true);
    expect(t.plainText).to.match(/^[A-Za-z0-9_]+$/);
    expect(t.plainText.match(tokenScannerRegex())).to.deep.equal([t.plainText]);
    expect(t.plainText.slice(-6)).to.equal(tokenChecksum(t.plainText.slice(0, -6)));
    expect(generateToken().plainText).to.not.equal(t.plainText);
  });

  it('should parse a valid token into public id and secret', () => {
    const t = generateToken();
    expect(parseToken(t.plainText)).to.deep.equal({ kind: 'valid', token: { publicId: t.publicId, secret: t.secret } });
    expect(formatToken(t.publicId, t.secret)).to.equal(t.plainText);
  });

  it('should detect a typo through the checksum without any lookup', () => {
    const t = generateToken().plainText;
    const i = TOKEN_PREFIX.length + 15;
    const typo = t.slice(0, i) + (t[i] === 'a' ? 'b' : 'a') + t.slice(i + 1);
    expect(parseToken(typo).kind).to.equal('bad-checksum');
    expect(looksLikeToken(typo)).to.equal(true);
  });

  it('should not take passwords or truncated tokens for tokens', () => {
    const t = generateToken().plainText;
    for (const value of ['secret', 'admin', t.slice(1), `${t}x`, t.replace('_', '-'), '']) {
      expect(parseToken(value).kind).to.equal('not-a-token');
    }
  });

  it('should find tokens in text with the scanner regex', () => {
    const a = generateToken().plainText;
    const b = generateToken().plainText;
    expect(`curl -u me:${a} x; export T="${b}"`.match(tokenScannerRegex())).to.deep.equal([a, b]);
    expect(`x${a}`.match(tokenScannerRegex())).to.equal(null);
  });

  it('should generate string ids of the /rest/api-tokens form', () => {
    expect(generateStringId()).to.match(STRING_ID_REGEX);
  });
});
