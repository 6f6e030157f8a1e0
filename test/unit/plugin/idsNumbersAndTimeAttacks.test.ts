// Attack review (2026-12-05), identifiers, numbers, dates and time: the expiry arithmetic at its
// edges, to the millisecond (the e2e suite test/e2e/plugin/idsNumbersAndTimeAttacks.test.ts cannot
// stop the host clock). Each test is one attempt to get an expiry past a limit; all pass.
import { expect } from 'chai';
import type { HostUser } from '../../../host-sim/spi';
import type { Token } from '../../../plugin/ao/Token';
import { ApiError } from '../../../plugin/errors/ApiError';
import type { Actor } from '../../../plugin/service/Actor';
import { capValidity } from '../../../plugin/service/TokenPrivileges';
import { renewedValidity } from '../../../plugin/service/TokenRenewal';
import { addMonthsUtc, parseIsoWithOffset, resolveValidity } from '../../../plugin/service/TokenValidity';

const LIMITS = { maxMonths: 12, defaultMonths: 12 };

function codeOf(fn: () => unknown): string | undefined {
  try { fn(); } catch (err) { return err instanceof ApiError ? err.code : `OTHER ${String(err)}`; }
  return undefined;
}

const user = { key: 'alice', name: 'alice' } as unknown as HostUser;
const viaToken = (validUntil: number): Actor => ({ user, viaToken: { id: 1, publicId: '', scope: 2, restricted: false, validUntil, sudo: false } });
const token = (validUntil: number): Token => ({ id: 2, validUntil } as unknown as Token);

describe('Identifiers, numbers, dates and time: expiry arithmetic (attack review)', () => {
  it('should accept an explicit expiry exactly at now + maximum and refuse one millisecond later, at every month end and leap day', () => {
    for (const now of [Date.UTC(2027, 0, 31, 23, 59, 59, 999), Date.UTC(2028, 1, 29, 12), Date.UTC(2027, 2, 31), Date.UTC(2026, 11, 31, 23, 0)]) {
      const latest = addMonthsUtc(now, 12);
      expect(resolveValidity({ millis: latest }, LIMITS, now).validUntil, new Date(now).toISOString()).to.equal(latest);
      expect(codeOf(() => resolveValidity({ millis: latest + 1 }, LIMITS, now))).to.equal('EXPIRY_BEYOND_MAXIMUM');
      expect(codeOf(() => resolveValidity({ dateTime: new Date(latest + 1).toISOString() }, LIMITS, now))).to.equal('EXPIRY_BEYOND_MAXIMUM');
      // A month count never lands later than the explicit maximum.
      expect(resolveValidity({ months: 12 }, LIMITS, now).validUntil).to.equal(latest);
      expect(resolveValidity({ months: Number.MAX_SAFE_INTEGER }, LIMITS, now).validUntil).to.equal(latest);
    }
    expect(new Date(addMonthsUtc(Date.UTC(2028, 1, 29, 12), 12)).toISOString()).to.equal('2029-02-28T12:00:00.000Z');
    expect(new Date(addMonthsUtc(Date.UTC(2027, 0, 31), 1)).toISOString()).to.equal('2027-02-28T00:00:00.000Z');
    expect(new Date(addMonthsUtc(Date.UTC(2027, 11, 31), 1200)).toISOString()).to.equal('2127-12-31T00:00:00.000Z');
  });

  it('should refuse an expiry at the current millisecond as past and accept the next one', () => {
    const now = Date.UTC(2027, 5, 1);
    expect(codeOf(() => resolveValidity({ millis: now }, LIMITS, now))).to.equal('EXPIRY_IN_PAST');
    expect(resolveValidity({ millis: now + 1 }, LIMITS, now).validUntil).to.equal(now + 1);
  });

  it('should read every written form of one instant as that instant, and no two-digit year as a later one', () => {
    const instant = Date.UTC(2027, 2, 1, 8, 29);
    for (const text of ['2027-03-01T08:29Z', '2027-03-01T08:29:00Z', '2027-03-01T08:29:00.000000000Z', '2027-03-01T10:29:00+02:00',
      '2027-03-01T10:29:00+0200', '2027-02-28T18:30:00-13:59', '2027-03-01T08:29:00.0009Z']) {
      expect(parseIsoWithOffset(text), text).to.equal(instant);
    }
    // Date.UTC reads the years 0 to 99 as 1900 to 1999: such a date is always in the past, never in the future.
    for (const text of ['0099-12-31T00:00:00Z', '0001-01-01T00:00:00Z']) {
      expect(codeOf(() => resolveValidity({ dateTime: text }, LIMITS, Date.UTC(2027, 0, 1))), text).to.equal('EXPIRY_IN_PAST');
    }
    for (const text of ['2027-02-29T00:00:00Z', '2028-02-30T00:00:00Z', '2027-03-01T08:29:00+15:00', '2027-03-01T08:29:00+02:60', '2027-03-01T08:29:00.0000000001Z',
      '20270301T082900Z', '2027-03-01 08:29:00Z', '2027-03-01T08:29:00Z ', '2027-03-01T08:29:00UTC']) {
      expect(codeOf(() => parseIsoWithOffset(text)), text).to.equal('EXPIRY_INVALID');
    }
  });

  it('should never let a create or regeneration through a token outlive that token, to the millisecond', () => {
    const now = Date.UTC(2027, 0, 31, 12);
    const callerUntil = addMonthsUtc(now, 3) + 1;
    const actor = viaToken(callerUntil);
    // A month count (or the default) is lowered to the caller's expiry; an explicit later date is refused.
    expect(capValidity(actor, resolveValidity({ months: 12 }, LIMITS, now), false, now).validUntil).to.equal(callerUntil);
    expect(capValidity(actor, resolveValidity({ millis: callerUntil }, LIMITS, now), true, now).validUntil).to.equal(callerUntil);
    expect(codeOf(() => capValidity(actor, resolveValidity({ millis: callerUntil + 1 }, LIMITS, now), true, now))).to.equal('TOKEN_PRIVILEGE_EXCEEDED');
    // A caller at its last millisecond creates nothing.
    expect(codeOf(() => capValidity(viaToken(now), resolveValidity({}, LIMITS, now), false, now))).to.equal('TOKEN_PRIVILEGE_EXCEEDED');
    // Regenerating: never after the regenerated token's current expiry either, without a body it keeps it.
    const target = token(addMonthsUtc(now, 1));
    expect(renewedValidity(actor, target, {}, LIMITS, now).validUntil).to.equal(target.validUntil);
    expect(renewedValidity(actor, target, { months: 1200 }, LIMITS, now).validUntil).to.equal(target.validUntil);
    expect(codeOf(() => renewedValidity(actor, target, { millis: target.validUntil + 1 }, LIMITS, now))).to.equal('EXPIRY_EXTENSION_FORBIDDEN');
    // A caller whose expiry reached the principal malformed counts as expired (RestSupport.actorOf: 0).
    expect(codeOf(() => renewedValidity(viaToken(0), target, {}, LIMITS, now))).to.equal('TOKEN_PRIVILEGE_EXCEEDED');
  });
});
