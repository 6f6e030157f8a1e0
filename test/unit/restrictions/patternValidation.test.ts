import { expect } from 'chai';
import { compileSafePattern, DEFAULT_MATCH_WORK_BUDGET, DEFAULT_MAX_MATCH_INPUT_LENGTH, parseRestrictions } from '../../../plugin/restrictions';
import { errorCodes } from './fixtures';

describe('parseRestrictions (pattern validation)', () => {
  it('should refuse malformed regular expressions with INVALID_PATTERN', () => {
    for (const p of ['(a', '[a', 'a**', 'x{2,1}', '\\', '*a']) {
      expect(errorCodes([{ urlPattern: p }]), p).to.deep.equal(['INVALID_PATTERN']);
    }
  });

  it('should refuse backreferences and lookaround with UNSUPPORTED_PATTERN', () => {
    for (const p of ['(a)\\1', '(?<n>a)\\k<n>', '.*(?=x)', '.*(?!x)', '(?<=a)b', '(?<!a)b', '(?>a+)', 'a++', 'a*+', '(?R)']) {
      expect(errorCodes([{ urlPattern: p }]), p).to.deep.equal(['UNSUPPORTED_PATTERN']);
    }
  });

  it('should check condition patterns as well as URL patterns', () => {
    expect(errorCodes('.*/a[QueryParam::q==(x][JsonData::n==(?=y)]')).to.deep.equal(['INVALID_PATTERN', 'UNSUPPORTED_PATTERN']);
  });

  it('should name the failing field', () => {
    const result = parseRestrictions('.*/a[QueryParam::q==1][QueryParam::r==(]');
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.errors[0].field).to.equal('rules[0].queryParams[1].pattern');
  });

  it('should accept RE2 syntax such as named groups, flags and Unicode classes', () => {
    expect(parseRestrictions(['(?P<key>[A-Z]+)-\\d+', '(?i).*/REST/.*', '.*/\\pL+']).ok).to.equal(true);
  });

  it('should refuse line breaks inside a structured pattern', () => {
    expect(errorCodes([{ urlPattern: '.*\n.*' }])).to.deep.equal(['INVALID_PATTERN']);
  });

  it('should refuse URL patterns that the text form would read differently', () => {
    expect(errorCodes([{ urlPattern: '[GET].*' }])).to.deep.equal(['INVALID_PATTERN']);
    expect(errorCodes([{ urlPattern: '.*[QueryParam::x]' }])).to.deep.equal(['INVALID_PATTERN']);
    expect(errorCodes([{ urlPattern: ' .*' }])).to.deep.equal(['INVALID_PATTERN']);
    expect(errorCodes([{ urlPattern: '[IpAllowlist::1]' }])).to.deep.equal(['INVALID_PATTERN']);
  });

  it('should refuse a bare ] in a structured condition pattern and accept it escaped', () => {
    expect(errorCodes([{ urlPattern: '.*', queryParams: [{ name: 'q', pattern: 'a]' }] }])).to.deep.equal(['INVALID_PATTERN']);
    expect(parseRestrictions([{ urlPattern: '.*', queryParams: [{ name: 'q', pattern: 'a\\]' }] }]).ok).to.equal(true);
  });

  it('should accept a method prefix followed by a letters-only class when the method is separate', () => {
    expect(parseRestrictions([{ method: 'GET', urlPattern: '[abc]/x' }]).ok).to.equal(true);
  });
});

describe('compileSafePattern', () => {
  it('should match the whole input only', () => {
    const r = compileSafePattern('ab+');
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.pattern.fullMatch('abbb')).to.equal(true);
    expect(r.pattern.fullMatch('xabb')).to.equal(false);
    expect(r.pattern.fullMatch('abbx')).to.equal(false);
  });

  it('should not match inputs longer than the cap', () => {
    const r = compileSafePattern('a*', { maxInputLength: 10 });
    if (!r.ok) return expect.fail('should compile');
    expect(r.pattern.fullMatch('a'.repeat(10))).to.equal(true);
    expect(r.pattern.fullMatch('a'.repeat(11))).to.equal(false);
  });

  it('should scan shorter inputs the larger the program is', () => {
    const small = compileSafePattern('.*/rest/.*');
    const large = compileSafePattern('.*a.{300}');
    if (!small.ok || !large.ok) return expect.fail('should compile');
    expect(small.pattern.maxInputLength).to.equal(DEFAULT_MAX_MATCH_INPUT_LENGTH);
    expect(large.pattern.maxInputLength).to.equal(Math.floor(DEFAULT_MATCH_WORK_BUDGET / large.pattern.programSize));
    const fits = 'a'.repeat(large.pattern.maxInputLength);
    expect(large.pattern.fullMatch(fits)).to.equal(true);
    expect(large.pattern.fullMatch(fits + 'a')).to.equal(false);
  });

  it('should report UNSUPPORTED_PATTERN rather than throw', () => {
    const r = compileSafePattern('(a)\\1');
    expect(r.ok ? 'ok' : r.code).to.equal('UNSUPPORTED_PATTERN');
  });
});
