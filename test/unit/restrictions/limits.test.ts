import { expect } from 'chai';
import { DEFAULT_RESTRICTION_LIMITS, parseRestrictions } from '../../../plugin/restrictions';
import { errorCodes } from './fixtures';

describe('parseRestrictions (limits)', () => {
  it('should accept the maximum number of rules and refuse one more with TOO_MANY_RULES', () => {
    const rules = Array.from({ length: DEFAULT_RESTRICTION_LIMITS.maxRules }, (_, i) => `.*/r${i}`);
    expect(parseRestrictions(rules).ok).to.equal(true);
    expect(errorCodes([...rules, '.*/one-more'])).to.deep.equal(['TOO_MANY_RULES']);
  });

  it('should accept a pattern of the maximum length and refuse a longer one with PATTERN_TOO_LONG', () => {
    const max = DEFAULT_RESTRICTION_LIMITS.maxPatternLength;
    expect(parseRestrictions([{ urlPattern: 'a'.repeat(max) }]).ok).to.equal(true);
    expect(errorCodes([{ urlPattern: 'a'.repeat(max + 1) }])).to.deep.equal(['PATTERN_TOO_LONG']);
    expect(errorCodes(`.*[QueryParam::q==${'b'.repeat(max + 1)}]`)).to.deep.equal(['PATTERN_TOO_LONG']);
  });

  it('should refuse a pattern whose RE2 program is too large with PATTERN_TOO_COMPLEX', () => {
    expect(errorCodes([{ urlPattern: 'a.{999}|b.{999}' }])).to.deep.equal(['PATTERN_TOO_COMPLEX']);
    expect(errorCodes(['.*', '.*a.{500}'], { maxProgramSize: 100 })).to.deep.equal(['PATTERN_TOO_COMPLEX']);
    expect(parseRestrictions([{ urlPattern: '.*/rest/api/2/(issue/(JRA|KANBAN)-[0-9]+(/comment)?|search|myself)' }]).ok).to.equal(true);
  });

  it('should refuse too many conditions in one rule with TOO_MANY_CONDITIONS', () => {
    const conditions = Array.from({ length: DEFAULT_RESTRICTION_LIMITS.maxConditionsPerRule + 1 }, (_, i) => `[QueryParam::p${i}==x]`).join('');
    expect(errorCodes(`.*${conditions}`)).to.deep.equal(['TOO_MANY_CONDITIONS']);
  });

  it('should accept the maximum number of IP entries and refuse one more with TOO_MANY_IP_ENTRIES', () => {
    const ips = Array.from({ length: DEFAULT_RESTRICTION_LIMITS.maxIpEntries }, (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}`);
    expect(parseRestrictions({ rules: [], ipAllowlist: ips }).ok).to.equal(true);
    expect(errorCodes({ rules: [], ipAllowlist: [...ips, '10.9.9.9'] })).to.deep.equal(['TOO_MANY_IP_ENTRIES']);
  });

  it('should refuse a name longer than the limit with INVALID_NAME', () => {
    expect(errorCodes(`.*[QueryParam::${'n'.repeat(DEFAULT_RESTRICTION_LIMITS.maxNameLength + 1)}==x]`)).to.deep.equal(['INVALID_NAME']);
  });

  it('should refuse an oversized input with INPUT_TOO_LARGE before reading it', () => {
    const text = '.*/x\n'.repeat(DEFAULT_RESTRICTION_LIMITS.maxInputLength / 5 + 1);
    expect(errorCodes(text)).to.deep.equal(['INPUT_TOO_LARGE']);
    expect(errorCodes({ rules: [{ urlPattern: 'x'.repeat(DEFAULT_RESTRICTION_LIMITS.maxInputLength) }] })).to.deep.equal(['INPUT_TOO_LARGE']);
  });

  it('should apply limits given by the caller', () => {
    expect(errorCodes(['.*/a', '.*/b'], { maxRules: 1 })).to.deep.equal(['TOO_MANY_RULES']);
    expect(errorCodes(['.*/abcdef'], { maxPatternLength: 3 })).to.deep.equal(['PATTERN_TOO_LONG']);
    expect(errorCodes({ rules: [], ipAllowlist: ['::1', '::2'] }, { maxIpEntries: 1 })).to.deep.equal(['TOO_MANY_IP_ENTRIES']);
  });
});
