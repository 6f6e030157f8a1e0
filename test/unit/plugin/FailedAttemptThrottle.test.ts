import { expect } from 'chai';
import { FailedAttemptThrottle } from '../../../plugin/service/FailedAttemptThrottle';
import { FakeClock } from '../../support/spi-fakes';

describe('FailedAttemptThrottle', () => {
  it('should block an IP after the limit until its window ends', () => {
    const clock = new FakeClock(0);
    const t = new FailedAttemptThrottle(clock, 3);
    for (let i = 0; i < 3; i++) { expect(t.check('1.1.1.1').blocked).to.equal(false); t.recordFailure('1.1.1.1'); }
    clock.advance(20000);
    expect(t.check('1.1.1.1')).to.deep.equal({ blocked: true, retryAfterSeconds: 40 });
    expect(t.check('2.2.2.2').blocked).to.equal(false);
    clock.advance(40000);
    expect(t.check('1.1.1.1').blocked).to.equal(false);
  });
});
