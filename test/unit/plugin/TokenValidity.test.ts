import { expect } from 'chai';
import { ApiError } from '../../../plugin/errors/ApiError';
import { addMonthsUtc, parseIsoWithOffset, resolveValidity } from '../../../plugin/service/TokenValidity';

const NOW = Date.UTC(2026, 0, 31, 10, 0, 0);
const LIMITS = { maxMonths: 12, defaultMonths: 6 };

function codeOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (err) { return err instanceof ApiError ? err.code : 'OTHER'; }
  return undefined;
}

describe('TokenValidity', () => {
  it('should add calendar months and clamp the day of month', () => {
    expect(new Date(addMonthsUtc(NOW, 1)).toISOString()).to.equal('2026-02-28T10:00:00.000Z');
    expect(new Date(addMonthsUtc(NOW, 12)).toISOString()).to.equal('2027-01-31T10:00:00.000Z');
  });

  it('should use the default validity when nothing is given', () => {
    const v = resolveValidity({}, LIMITS, NOW);
    expect(v.months).to.equal(6);
    expect(v.validUntil).to.equal(addMonthsUtc(NOW, 6));
    expect(v.dateTime).to.equal(new Date(v.validUntil).toISOString());
  });

  it('should use an expiry date given beside a number of months (docs/api.md)', () => {
    const date = addMonthsUtc(NOW, 2);
    expect(resolveValidity({ months: 9, millis: date }, LIMITS, NOW).validUntil).to.equal(date);
    expect(resolveValidity({ months: 9, dateTime: new Date(date).toISOString() }, LIMITS, NOW).validUntil).to.equal(date);
  });

  it('should lower months above the maximum to the maximum', () => {
    const v = resolveValidity({ months: 100 }, LIMITS, NOW);
    expect(v.months).to.equal(12);
    expect(v.validUntil).to.equal(addMonthsUtc(NOW, 12));
  });

  it('should accept an ISO date with offset and echo it', () => {
    const v = resolveValidity({ dateTime: '2026-03-01T10:29:00.000+02:00' }, LIMITS, NOW);
    expect(v.validUntil).to.equal(Date.UTC(2026, 2, 1, 8, 29));
    expect(v.dateTime).to.equal('2026-03-01T10:29:00.000+02:00');
    expect(v.months).to.equal(2);
  });

  it('should refuse a date without offset, in the past, beyond the maximum or invalid', () => {
    expect(codeOf(() => resolveValidity({ dateTime: '2026-03-01T10:29:00.000' }, LIMITS, NOW))).to.equal('EXPIRY_WITHOUT_OFFSET');
    expect(codeOf(() => resolveValidity({ dateTime: '2020-10-19T10:29:00.000+02:00' }, LIMITS, NOW))).to.equal('EXPIRY_IN_PAST');
    expect(codeOf(() => resolveValidity({ dateTime: '2030-01-01T00:00:00Z' }, LIMITS, NOW))).to.equal('EXPIRY_BEYOND_MAXIMUM');
    expect(codeOf(() => resolveValidity({ dateTime: '2026-02-30T00:00:00Z' }, LIMITS, NOW))).to.equal('EXPIRY_INVALID');
    expect(codeOf(() => resolveValidity({ dateTime: 'tomorrow' }, LIMITS, NOW))).to.equal('EXPIRY_INVALID');
    expect(codeOf(() => resolveValidity({ millis: NOW - 1 }, LIMITS, NOW))).to.equal('EXPIRY_IN_PAST');
    expect(codeOf(() => resolveValidity({ millis: addMonthsUtc(NOW, 12) + 1 }, LIMITS, NOW))).to.equal('EXPIRY_BEYOND_MAXIMUM');
  });

  it('should name the maximum in the beyond-maximum error', () => {
    try {
      resolveValidity({ dateTime: '2030-01-01T00:00:00Z' }, LIMITS, NOW);
      expect.fail('no error');
    } catch (err) {
      expect((err as ApiError).args).to.deep.equal([12]);
    }
  });

  it('should accept millis and refuse millis that contradict the date', () => {
    const at = Date.UTC(2026, 5, 1);
    expect(resolveValidity({ millis: at }, LIMITS, NOW).validUntil).to.equal(at);
    expect(codeOf(() => resolveValidity({ millis: at, dateTime: '2026-06-02T00:00:00Z' }, LIMITS, NOW))).to.equal('VALIDATION_FAILED');
  });

  it('should parse Z and compact offsets', () => {
    expect(parseIsoWithOffset('2026-05-01T00:00Z')).to.equal(Date.UTC(2026, 4, 1));
    expect(parseIsoWithOffset('2026-05-01T00:00:00-0130')).to.equal(Date.UTC(2026, 4, 1, 1, 30));
  });
});
