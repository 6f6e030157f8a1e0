import { expect } from 'chai';
import { FailedAttemptThrottle } from '../../../plugin/service/FailedAttemptThrottle';
import { FakeClock } from '../../support/spi-fakes';

describe('FailedAttemptThrottle', () => {
  it('should block an IP beyond the limit until its window ends', () => {
    const clock = new FakeClock(0);
    const t = new FailedAttemptThrottle(clock, 3);
    for (let i = 0; i < 3; i++) expect(t.recordFailure('1.1.1.1', null).blocked).to.equal(false);
    clock.advance(20000);
    expect(t.recordFailure('1.1.1.1', null)).to.deep.equal({ blocked: true, retryAfterSeconds: 40 });
    expect(t.recordFailure('2.2.2.2', null).blocked).to.equal(false);
    clock.advance(40000);
    expect(t.recordFailure('1.1.1.1', null).blocked).to.equal(false);
  });

  it('should count guesses against one public id across many IPs', () => {
    const t = new FailedAttemptThrottle(new FakeClock(0), 3);
    for (let i = 0; i < 3; i++) expect(t.recordFailure(`10.0.0.${i}`, 'AAAAAAAAAAAA').blocked).to.equal(false);
    expect(t.recordFailure('10.0.0.99', 'AAAAAAAAAAAA').blocked).to.equal(true);
    expect(t.recordFailure('10.0.0.99', 'BBBBBBBBBBBB').blocked).to.equal(false);
  });
});
