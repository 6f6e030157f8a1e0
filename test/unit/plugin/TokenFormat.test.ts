import { expect } from 'chai';
import fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { BASE62_ALPHABET, encodeBase62, randomBase62 } from '../../../plugin/token/base62';
import { crc32Ascii } from '../../../plugin/token/crc32';
import {
  formatToken, generateStringId, generateToken, looksLikeToken, parseToken, redactTokens, redactTokensInPath, SECRET_ENTROPY_BITS, STRING_ID_REGEX,
  TOKEN_LENGTH, TOKEN_PREFIX, tokenChecksum, tokenScannerRegex,
} from '../../../plugin/token/TokenFormat';

describe('TokenFormat', () => {
  it('should compute CRC32 of the standard check string as 0xCBF43926', () => {
    expect(crc32Ascii('123456789')).to.equal(0xcbf43926);
    expect(crc32Ascii('')).to.equal(0);
    expect(crc32Ascii('The quick brown fox jumps over the lazy dog')).to.equal(0x414fa339);
    expect(() => crc32Ascii('caf\u00e9')).to.throw(RangeError);
  });

  it('should compute the same CRC32 as zlib and the bitwise definition', () => {
    const bitwise = (text: string): number => {
      let c = 0xffffffff;
      for (const byte of Buffer.from(text, 'utf8')) {
        c ^= byte;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      return (c ^ 0xffffffff) >>> 0;
    };
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...`${BASE62_ALPHABET}_`), maxLength: 80 }),
      (text) => crc32Ascii(text) === crc32(text) && crc32Ascii(text) === bitwise(text)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', maxLength: 80 }), (text) => crc32Ascii(text) === crc32(text)), { numRuns: 2000 });
  });

  it('should decide every presented value as the regular-expression parser it replaced', () => {
    // parseToken checks the shape and the checksum in one pass; the reference is the former code.
    const reference = (value: string): ReturnType<typeof parseToken> => {
      const m = /^apitok_([0-9A-Za-z]{12})_([0-9A-Za-z]{28})([0-9A-Za-z]{6})$/.exec(value);
      if (!m) return { kind: 'not-a-token' };
      if (encodeBase62(crc32(value.slice(0, -6)), 6) !== m[3]) return { kind: 'bad-checksum', publicId: m[1] };
      return { kind: 'valid', token: { publicId: m[1], secret: m[2] } };
    };
    // Real tokens with one character replaced (the alphabet, '_', '-', non-ASCII, a fullwidth
    // digit, a NUL), cut or extended, and arbitrary text.
    const oddChars = [...`${BASE62_ALPHABET}_-`, '\u00e9', '\uff10', '\u0000', '\u0130', '\u212a', ' '];
    const mutated = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...oddChars), fc.constantFrom('replace', 'cut', 'add', 'none')).map(([seed, at, ch, how]) => {
      const t = generateToken().plainText;
      const i = (seed + at) % t.length;
      if (how === 'replace') return t.slice(0, i) + ch + t.slice(i + 1);
      if (how === 'cut') return t.slice(0, i) + t.slice(i + 1);
      if (how === 'add') return t.slice(0, i) + ch + t.slice(i);
      return t;
    });
    fc.assert(fc.property(fc.oneof(mutated, fc.string({ maxLength: 60 })), (value) => {
      expect(parseToken(value)).to.deep.equal(reference(value));
    }), { numRuns: 5000 });
    const all62 = encodeBase62(62 ** 6 - 1, 6);
    expect(all62).to.equal('zzzzzz');
    // A presented checksum above 2^32 - 1 can never match.
    const body = `${TOKEN_PREFIX}${'a'.repeat(12)}_${'b'.repeat(28)}`;
    expect(parseToken(body + all62).kind).to.equal(reference(body + all62).kind);
  });

  it('should keep verifying tokens issued before the checksum came from zlib', () => {
    // Produced by the previous hand-written CRC-32: the checksums of stored tokens must not change.
    const issued: Array<[string, string]> = [
      ['apitok_Abc123Def456_xxxxxxxxxxxxxxxxxxxxxxxxxxxx1gCk94', '1gCk94'], // docs/token-format.md
      ['apitok_0VjM9kQp2RtX_G7hLm3nP8qRs2TuV5wXy9ZaBcDeF06L7zW', '06L7zW'],
      ['apitok_000000000000_00000000000000000000000000002oga5O', '2oga5O'],
      ['apitok_zzzzzzzzzzzz_zzzzzzzzzzzzzzzzzzzzzzzzzzzz0hZ6vO', '0hZ6vO'],
      ['apitok_A1b2C3d4E5f6_Qw3rTy7uI9oP1aS5dF6gH8jK2lZx0bpsj3', '0bpsj3'],
    ];
    for (const [token, checksum] of issued) {
      expect(tokenChecksum(token.slice(0, -6))).to.equal(checksum);
      expect(parseToken(token).kind).to.equal('valid');
    }
    expect(crc32('apitok_Abc123Def456_xxxxxxxxxxxxxxxxxxxxxxxxxxxx')).to.equal(0x5bc71f0a);
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

  it('should cut tokens in logged text after their public id, in any case, and leave other text alone', () => {
    const t = generateToken().plainText;
    const publicId = t.slice(7, 19);
    expect(redactTokens(t)).to.equal(`apitok_${publicId}_…`);
    expect(redactTokens(`me ${t} and ${t.toUpperCase()}`)).to.equal(`me apitok_${publicId}_… and apitok_${publicId.toUpperCase()}_…`);
    expect(redactTokens(t.slice(0, 15)), 'no public id yet').to.equal('apitok_…');
    expect(redactTokens(`x${t.slice(0, 30)}`)).to.equal(`xapitok_${publicId}_…`);
    for (const name of ['alice', 'apitok', 'api_tok_x', '']) expect(redactTokens(name)).to.equal(name);
    fc.assert(fc.property(fc.string(), fc.string(), (before, after) => !redactTokens(`${before}${t}${after}`).includes(t.slice(20))));
  });

  it('should cut a token out of a path segment in any case and percent-encoding, keeping its public id', () => {
    const t = generateToken().plainText;
    const publicId = t.slice(7, 19);
    for (const segment of [t, `KEY-${t}`, t.toUpperCase().replace(publicId.toUpperCase(), publicId), t.replace('apitok_', '%61pitok%5F'), t.replace('_', '%255f'),
      `${t.replace('_', '%5F')}%E0%A4%A`, `${t}%0Aforged log line`]) {
      expect(redactTokensInPath(`/rest/api/2/issue/${segment}/comment`), segment).to.equal(`/rest/api/2/issue/apitok_${publicId}_…/comment`);
    }
    expect(redactTokensInPath(`/rest/api/2/issue/${t.slice(0, 12)}`)).to.equal('/rest/api/2/issue/apitok_…');
    for (const path of ['/rest/api/2/issue/KEY-1', '/rest/api/2/issue/%41PI', '/rest/api/2/apitok']) expect(redactTokensInPath(path)).to.equal(path);
    fc.assert(fc.property(fc.webPath(), fc.webPath(), (before, after) => !redactTokensInPath(`${before}/${t}${after}`).includes(t.slice(20))));
  });

  it('should generate string ids of the /rest/api-tokens form', () => {
    expect(generateStringId()).to.match(STRING_ID_REGEX);
  });
});
