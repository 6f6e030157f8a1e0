import { expect } from 'chai';
import type { Request } from 'express';
import { sessionIdsOf } from '../../../host-sim/auth/cookies';
import { passesXsrfCheck } from '../../../host-sim/auth/xsrf';
import { canonicalIp, clientIpOf, trustedProxiesOf } from '../../../host-sim/web/requestContext';
import { safeDestination } from '../../../host-sim/web/pageSupport';
import { projectOfJql } from '../../../host-sim/rest/jira/jiraSearchResource';

const req = (method: string, headers: Record<string, string>): Request => ({ method, headers } as unknown as Request);

describe('host auth helpers', () => {
  it('should read every distinct well-formed session cookie, in order', () => {
    const ids = (cookie?: string): string[] => sessionIdsOf(req('GET', cookie === undefined ? {} : { cookie }));
    expect(ids()).to.deep.equal([]);
    expect(ids('a=1; JSESSIONID=abc; b=2; JSESSIONID="def"; JSESSIONID=abc')).to.deep.equal(['abc', 'def']);
    expect(ids('jsessionid=abc; JSESSIONID=a b; JSESSIONID=; JSESSIONID=x%41; JSESSIONIDX=1')).to.deep.equal([]);
    expect(ids('JSESSIONID=1; JSESSIONID=2; JSESSIONID=3; JSESSIONID=4; JSESSIONID=5; JSESSIONID=1')).to.deep.equal(['1', '2', '3', '4', '5']);
  });

  it('should apply the XSRF rule', () => {
    expect(passesXsrfCheck(req('GET', {}))).to.equal(true);
    expect(passesXsrfCheck(req('POST', {}))).to.equal(false);
    expect(passesXsrfCheck(req('POST', { 'content-type': 'application/x-www-form-urlencoded' }))).to.equal(false);
    expect(passesXsrfCheck(req('POST', { 'content-type': 'application/json; charset=utf-8' }))).to.equal(true);
    expect(passesXsrfCheck(req('DELETE', { 'x-atlassian-token': 'no-check' }))).to.equal(true);
  });

  it('should take the client IP from X-Forwarded-For only behind a trusted proxy', () => {
    expect(clientIpOf('::ffff:10.0.0.5', '1.2.3.4', new Set())).to.equal('10.0.0.5');
    expect(clientIpOf('10.0.0.1', '1.2.3.4, 10.0.0.2', new Set(['10.0.0.1', '10.0.0.2']))).to.equal('1.2.3.4');
  });

  it('should read X-Forwarded-For entries only in canonical address forms', () => {
    const proxy = new Set(['10.0.0.1']);
    expect(clientIpOf('10.0.0.1', '2001:DB8:0:0::1', proxy)).to.equal('2001:db8::1');
    expect(clientIpOf('10.0.0.1', '::FFFF:192.0.2.7', proxy)).to.equal('192.0.2.7');
    for (const odd of ['010.0.0.1', '0xa.0.0.1', '167772161', '10.1', '1.2.3.4:', '1.2.3.4:65536', '1.2.3.4:8x', '[1.2.3.4]', '[::1', '[::1]:', '[fe80::1%eth0]:80', 'evil']) {
      expect(clientIpOf('10.0.0.1', odd, proxy), odd).to.equal('unknown');
    }
    expect(canonicalIp('192.0.2.7')).to.equal('192.0.2.7');
    expect(canonicalIp('192.0.2.07')).to.equal(null);
  });

  it('should read an X-Forwarded-For entry with a port, as some proxies write it, as its address', () => {
    // Read as "not an address", every client of such a proxy was one client: one guesser
    // exhausted the login page's limit for all of them, and every allowlist refused them all.
    const proxy = new Set(['10.0.0.1']);
    expect(clientIpOf('10.0.0.1', '198.51.100.4:50123', proxy)).to.equal('198.51.100.4');
    expect(clientIpOf('10.0.0.1', '[2001:DB8::1]:443', proxy)).to.equal('2001:db8::1');
    expect(clientIpOf('10.0.0.1', '[2001:db8::2]', proxy)).to.equal('2001:db8::2');
    expect(clientIpOf('10.0.0.1', '[::ffff:192.0.2.7]:80', proxy)).to.equal('192.0.2.7');
    // A proxy's own hop with a port is still the proxy: the walk goes on past it.
    expect(clientIpOf('10.0.0.1', '203.0.113.9:1, 10.0.0.1:8080', proxy)).to.equal('203.0.113.9');
    // The host's own configuration keeps reading bare addresses only.
    expect(canonicalIp('198.51.100.4:50123')).to.equal(null);
  });

  it('should read trusted proxies as addresses in any spelling and as CIDR ranges, and refuse anything else', () => {
    const proxies = trustedProxiesOf(' 10.0.0.5 , ::FFFF:10.0.1.7, 10.0.2.0/24, 2001:db8:1::/48, ::ffff:10.0.3.0/120 ');
    for (const peer of ['10.0.0.5', '10.0.1.7', '10.0.2.200', '2001:db8:1:ffff::1', '10.0.3.9']) expect(proxies.has(peer), peer).to.equal(true);
    for (const peer of ['10.0.0.6', '10.0.3.0x', '10.0.4.1', '2001:db8:2::1', 'unknown', '']) expect(proxies.has(peer), peer).to.equal(false);
    expect(clientIpOf('10.0.2.9', '198.51.100.4', proxies)).to.equal('198.51.100.4');
    expect(clientIpOf('10.0.9.9', '198.51.100.4', proxies), 'an untrusted peer names no client').to.equal('10.0.9.9');
    for (const bad of ['balancer.example.com', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/8', '010.0.0.1', 'fe80::1%eth0', '2001:db8::/129', '10.0.0.0/-1']) {
      expect(() => trustedProxiesOf(bad), bad).to.throw().with.property('name', 'ConfigError');
    }
    expect(trustedProxiesOf('').has('127.0.0.1')).to.equal(false);
  });

  it('should refuse a trusted-proxy range of every address (any client would choose its own IP for the allowlists)', () => {
    // Also when several ranges together hold every address (each half, or an IPv4-mapped half).
    for (const everyone of ['0.0.0.0/0', '::/0', '10.0.0.5, 0.0.0.0/0', '::ffff:0.0.0.0/96', '0.0.0.0/1, 128.0.0.0/1', '::/1, 8000::/1',
      '128.0.0.0/1, ::ffff:0.0.0.0/98, 64.0.0.0/2', '0.0.0.0/2, 64.0.0.0/2, 0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/3, 224.0.0.0/3']) {
      expect(() => trustedProxiesOf(everyone), everyone).to.throw().with.property('name', 'ConfigError');
    }
    expect(trustedProxiesOf('10.0.0.0/8').has('10.200.0.1')).to.equal(true);
  });

  // Attack review 25: lists that hold nearly every address were accepted — every IPv4 unicast
  // address but the reserved 240/4, or every global IPv6 address — and their clients chose their IP.
  it('should refuse a trusted-proxy range wider than a /8 of IPv4 or a /24 of IPv6 (the unique-local block aside)', () => {
    for (const nearlyEveryone of ['0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/3, 224.0.0.0/4', '0.0.0.0/1', '64.0.0.0/7', '::ffff:0.0.0.0/103',
      '::/1', '2000::/3', '2001::/16', '2a00::/23', 'fc00::/6', '::/8']) {
      expect(() => trustedProxiesOf(nearlyEveryone), nearlyEveryone).to.throw().with.property('name', 'ConfigError');
    }
    for (const balancers of ['10.0.0.0/8', '104.16.0.0/13', '172.16.0.0/12', '::ffff:10.0.0.0/104', 'fc00::/7', 'fd12:3456::/32', '2400:cb00::/32', '2a06:98c0::/29', '2001:db8::/24, 10.0.0.5']) {
      expect(() => trustedProxiesOf(balancers), balancers).to.not.throw();
    }
  });

  it('should allow only local login destinations', () => {
    expect(safeDestination('/secure/ViewProfile.jspa', '/x')).to.equal('/secure/ViewProfile.jspa');
    expect(safeDestination('//evil.example', '/x')).to.equal('/x');
    expect(safeDestination('https://evil.example', '/x')).to.equal('/x');
    expect(safeDestination(['/a'], '/x')).to.equal('/x');
    // A browser drops tabs and line breaks from a URL (WHATWG URL parsing): '/\t/evil' would be
    // '//evil'. Every control character and space is refused, not only CR and LF.
    for (const hostile of ['/\t/evil.example', '/\n/evil.example', '/\u0000/evil.example', '/ /evil.example', '/\u007f/evil.example', '/\u0085/evil.example', '/a\u2028b']) {
      expect(safeDestination(hostile, '/x'), JSON.stringify(hostile)).to.equal('/x');
    }
    expect(safeDestination('/browse/TEST-1?jql=a%20b', '/x')).to.equal('/browse/TEST-1?jql=a%20b');
  });

  it('should understand only project JQL', () => {
    expect(projectOfJql('project = JRA')).to.equal('JRA');
    expect(projectOfJql('project=kan')).to.equal('KAN');
    expect(projectOfJql('project = "ABC" ORDER BY created DESC')).to.equal('ABC');
    expect(projectOfJql('assignee = admin')).to.equal(null);
    expect(projectOfJql('project = A OR project = B')).to.equal(null);
  });
});
