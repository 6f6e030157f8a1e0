// The one reading of the Authorization header that the host's login and the token filter share
// (host-sim/spi/authorization.ts): a header is Basic, Bearer or neither the same way for both.
import { expect } from 'chai';
import { readAuthorization } from '../../../host-sim/spi';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

describe('readAuthorization', () => {
  it('should read well-formed Basic credentials, split at the first colon, the scheme in any case', () => {
    expect(readAuthorization(`Basic ${b64('alice:pa:ss')}`)).to.deep.equal({ scheme: 'basic', credentials: { userName: 'alice', password: 'pa:ss' } });
    expect(readAuthorization(`bAsIc ${b64('bob:x')}`)).to.deep.equal({ scheme: 'basic', credentials: { userName: 'bob', password: 'x' } });
    expect(readAuthorization(`Basic   ${b64('bob:x')}  `), 'several spaces (RFC 7235 1*SP)').to.deep.equal({ scheme: 'basic', credentials: { userName: 'bob', password: 'x' } });
    expect(readAuthorization(`Basic ${b64('j\u00fcrgen:p\u00e4ss')}`), 'UTF-8').to.deep.equal({ scheme: 'basic', credentials: { userName: 'j\u00fcrgen', password: 'p\u00e4ss' } });
    expect(readAuthorization(`Basic ${b64('carol:')}`), 'an empty password is the login\'s to refuse').to.deep.equal({ scheme: 'basic', credentials: { userName: 'carol', password: '' } });
  });

  it('should call Basic credentials that are not UTF-8 malformed, and keep a byte-order mark as a character', () => {
    // Latin-1 `josé` and `josè` must not both read as `jos\ufffd` (another user's name).
    for (const text of ['jos\u00e9:secret', 'alice:p\u00e4ss']) {
      expect(readAuthorization(`Basic ${Buffer.from(text, 'latin1').toString('base64')}`), text).to.deep.equal({ scheme: 'basic', credentials: null });
    }
    expect(readAuthorization(`Basic ${b64('\ufeffbob:x')}`)).to.deep.equal({ scheme: 'basic', credentials: { userName: '\ufeffbob', password: 'x' } });
  });

  it('should decode every base64 form the way Buffer decodes it: standard or URL-safe, padded or not, ASCII or UTF-8', () => {
    // The padded standard ASCII case has its own faster decoder; every other form, and every
    // random byte string, must read exactly as Buffer's decoder reads it — or, for bytes that
    // are not UTF-8, not at all.
    const buffered = (value: string) => Buffer.from(value, 'base64').toString('utf8');
    const check = (value: string) => {
      const decoded = buffered(value);
      const colon = decoded.indexOf(':');
      const utf8 = Buffer.from(decoded, 'utf8').equals(Buffer.from(value, 'base64'));
      const expected = colon <= 0 || !utf8 ? null : { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
      expect(readAuthorization(`Basic ${value}`), value).to.deep.equal({ scheme: 'basic', credentials: expected });
    };
    let seed = 7;
    const random = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.alloc(1 + random(60));
      for (let j = 0; j < bytes.length; j++) bytes[j] = i % 3 === 0 ? random(256) : 32 + random(95);
      if (i % 2) bytes[random(bytes.length)] = 0x3a;
      const standard = bytes.toString('base64');
      for (const value of [standard, bytes.toString('base64url'), standard.replace(/=+$/, '')]) if (value !== '') check(value);
    }
    // Padding where a strict decoder would refuse it, and a dangling last character.
    for (const value of ['YWxpY2U6eA', 'YWxpY2U6eA=', 'YWxpY2U6eA==', 'YWxpY2U6eHk=', 'YWxpY2U6eHl6', 'YWxpY2U6eHl6Z', 'YWxp-2U6_A==', 'YWxpY2U6eR==']) check(value);
  });

  it('should call a Basic header malformed, never "no credentials", whatever separates the scheme from the rest', () => {
    const creds = b64('alice:secret');
    for (const header of [`Basic\t${creds}`, `Basic\u00a0${creds}`, `Basic\u3000${creds}`, `Basic\u2002${creds}`, `Basic\v${creds}`, `Basic\f${creds}`,
      'Basic', 'Basic ', `Basic ${creds} extra`, `Basic ${creds}\t`, `Basic ${b64('no colon')}`, `Basic ${b64(':nouser')}`, 'Basic !!!', 'Basic a=b',
      `Basic ${'A'.repeat(9000)}`]) {
      expect(readAuthorization(header), JSON.stringify(header)).to.deep.equal({ scheme: 'basic', credentials: null });
    }
  });

  it('should read a Bearer token68 and call anything else after Bearer malformed', () => {
    expect(readAuthorization('Bearer apitok_abc')).to.deep.equal({ scheme: 'bearer', token: 'apitok_abc' });
    expect(readAuthorization('bearer  a.b-c~d+e/f==')).to.deep.equal({ scheme: 'bearer', token: 'a.b-c~d+e/f==' });
    for (const header of ['Bearer', 'Bearer\tapitok_abc', 'Bearer\u00a0apitok_abc', 'Bearer a b', 'Bearer a!b', 'Bearer =abc']) {
      expect(readAuthorization(header), JSON.stringify(header)).to.deep.equal({ scheme: 'bearer', token: null });
    }
  });

  it('should leave other schemes and headers that do not start with a scheme name to nobody', () => {
    expect(readAuthorization(undefined)).to.equal(null);
    expect(readAuthorization('')).to.equal(null);
    for (const header of ['Negotiate abc', 'Digest username="a"', 'Basicx abc', 'Bearerx abc', ' Basic abc', '\u00a0Basic abc', 'Basic\u0085abc']) {
      expect(readAuthorization(header), JSON.stringify(header)).to.deep.equal({ scheme: 'other' });
    }
  });
});
