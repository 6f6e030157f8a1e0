import { expect } from 'chai';
import { WEB_LOGIN_FAILURES_PER_MINUTE, webClientKey, WebLoginThrottle } from '../../../host-sim/auth/WebLoginThrottle';

describe('WebLoginThrottle', () => {
  let now = 5_000_000;
  const clock = { now: () => now };

  it('should count an IPv4 client alike in every spelling, and an IPv6 client per /64', () => {
    expect(webClientKey('::ffff:198.51.100.7')).to.equal('198.51.100.7');
    expect(webClientKey('::ffff:c633:6407')).to.equal('198.51.100.7');
    expect(webClientKey('2001:db8:1:2::1')).to.equal(webClientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'));
    expect(webClientKey('2001:db8:1:2::1')).to.not.equal(webClientKey('2001:db8:1:3::1'));
  });

  it('should admit the limit a minute, give a right password its place back, and admit again when the window ends or the clock goes back', () => {
    const throttle = new WebLoginThrottle(clock);
    for (let i = 0; i < WEB_LOGIN_FAILURES_PER_MINUTE; i++) expect(throttle.admit('198.51.100.7'), `attempt ${i}`).to.equal(0);
    expect(throttle.admit('198.51.100.7')).to.equal(60);
    expect(throttle.admit('203.0.113.1'), 'another client').to.equal(0);
    throttle.succeeded('198.51.100.7');
    expect(throttle.admit('198.51.100.7'), 'the place a right password gave back').to.equal(0);
    now += 30_500;
    expect(throttle.admit('198.51.100.7')).to.equal(30);
    now += 29_500;
    expect(throttle.admit('198.51.100.7')).to.equal(0);
    for (let i = 1; i < WEB_LOGIN_FAILURES_PER_MINUTE; i++) throttle.admit('198.51.100.7');
    expect(throttle.admit('198.51.100.7')).to.be.above(0);
    now -= 1_000;
    expect(throttle.admit('198.51.100.7'), 'a window that starts after now has ended').to.equal(0);
  });

  it('should count a session on its own as well, from every address, and count nothing where it refuses', () => {
    const throttle = new WebLoginThrottle(clock);
    for (let i = 0; i < WEB_LOGIN_FAILURES_PER_MINUTE; i++) expect(throttle.admit(`2001:db8:9:${i}::1`, 'stolen'), `attempt ${i}`).to.equal(0);
    expect(throttle.admit('2001:db8:9:ff::1', 'stolen')).to.be.above(0);
    // The refusal counted nothing on the new address; other sessions and clients go on.
    expect(throttle.admit('2001:db8:9:ff::1', 'own')).to.equal(0);
    expect(throttle.admit('2001:db8:9:0::2')).to.equal(0);
  });

  it('should count an IPv6 client\'s /56 and /48 as well, so that fresh /64s of one network buy no more guesses', () => {
    const throttle = new WebLoginThrottle(clock);
    let admitted = 0;
    // One /56 holds 256 /64s: each fresh /64 had ten guesses of its own.
    for (let net = 0; net < 256; net++) {
      for (let i = 0; i < WEB_LOGIN_FAILURES_PER_MINUTE; i++) if (throttle.admit(`2001:db8:aa:${net.toString(16)}::${i + 1}`) === 0) admitted++;
    }
    expect(admitted, 'guesses from one /56').to.equal(2 * WEB_LOGIN_FAILURES_PER_MINUTE);
    // Further /56s of the same /48 share its count.
    for (let net = 1; net < 256; net++) if (throttle.admit(`2001:db8:aa:${(net * 256).toString(16)}::1`) === 0) admitted++;
    expect(admitted, 'guesses from one /48').to.equal(3 * WEB_LOGIN_FAILURES_PER_MINUTE);
    expect(throttle.admit('2001:db8:ab::1'), 'another /48').to.equal(0);
    expect(throttle.admit('198.51.100.7'), 'an IPv4 client').to.equal(0);
  });

  it('should let a right password give back its place in the wider networks too', () => {
    const throttle = new WebLoginThrottle(clock);
    for (let net = 0; net < 2 * WEB_LOGIN_FAILURES_PER_MINUTE; net++) expect(throttle.admit(`2001:db8:bb:${net.toString(16)}::1`)).to.equal(0);
    expect(throttle.admit('2001:db8:bb:ff::1'), 'the /56 is used up').to.be.above(0);
    throttle.succeeded('2001:db8:bb:1::1');
    expect(throttle.admit('2001:db8:bb:ff::1')).to.equal(0);
  });
});
