import { expect } from 'chai';
import { DAY_MS, EMPTY_STATE, dueNotice } from '../../../plugin/jobs/ExpiryNotices';

describe('ExpiryNotices.dueNotice', () => {
  const MARKS = [7, 1];
  const now = Date.UTC(2026, 11, 5, 12);

  it('should name the mark when the job reaches it on time', () => {
    const due = dueNotice({ created: now - 90 * DAY_MS, validUntil: now + 7 * DAY_MS - 60_000 }, EMPTY_STATE, MARKS, now);
    expect(due?.notice).to.deep.equal({ kind: 'expiring', days: 7 });
  });

  it('should name the days really left when a mark is reached late: a term shortened to 3 days', () => {
    // Created 90 days ago, its expiry since moved (PATCH, a regeneration) to 3 days from now:
    // the 7-day mark is reached, but "expires in 7 days" would be untrue.
    const due = dueNotice({ created: now - 90 * DAY_MS, validUntil: now + 3 * DAY_MS }, EMPTY_STATE, MARKS, now);
    expect(due?.notice).to.deep.equal({ kind: 'expiring', days: 3 });
    expect(due?.next.warned).to.deep.equal([7]);
  });

  it('should name the days really left after the job did not run for a while', () => {
    const due = dueNotice({ created: now - 90 * DAY_MS, validUntil: now + 4.5 * DAY_MS }, EMPTY_STATE, MARKS, now);
    expect(due?.notice).to.deep.equal({ kind: 'expiring', days: 5 });
  });

  it('should still say within a day once less than a day is left', () => {
    const due = dueNotice({ created: now - 90 * DAY_MS, validUntil: now + 60_000 }, EMPTY_STATE, MARKS, now);
    expect(due?.notice).to.deep.equal({ kind: 'expiring', days: 1 });
    expect(due?.next.warned).to.have.members([7, 1]);
  });
});
