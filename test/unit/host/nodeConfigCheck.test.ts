import { expect } from 'chai';
import { sharedNodeSettings } from '../../../host-sim/impl/cluster/NodeConfigCheck';
import type { HostConfig } from '../../../host-sim/impl/HostRuntime';

/** The settings a node announces for this `hostsim.trusted.proxies` list. */
function proxiesOf(list: string): string {
  const config = { product: 'jira', systemProperties: { 'hostsim.trusted.proxies': list }, maxFailedLogins: 3, devMode: false, baseUrl: '' } as unknown as HostConfig;
  return sharedNodeSettings(config).trustedProxies;
}

describe('NodeConfigCheck', () => {
  it('should announce one spelling for every spelling of the same trusted proxies, so that no node reports a difference that is none', () => {
    expect(proxiesOf('10.0.0.5/32')).to.equal(proxiesOf('10.0.0.5'));
    expect(proxiesOf('10.1.2.3/8')).to.equal(proxiesOf('10.0.0.0/8'));
    expect(proxiesOf('::ffff:10.0.0.0/104')).to.equal(proxiesOf('10.0.0.0/8'));
    expect(proxiesOf('::ffff:10.0.0.5')).to.equal(proxiesOf('10.0.0.5'));
    expect(proxiesOf('2001:DB8:0:0::1/128, 2001:db8:1::7/48')).to.equal(proxiesOf('2001:db8:1::/48,2001:db8::1'));
    expect(proxiesOf(' 10.0.0.6 , 10.0.0.5 ')).to.equal(proxiesOf('10.0.0.5,10.0.0.6'));
    expect(proxiesOf('')).to.equal('(none)');
  });

  it('should announce different proxies differently', () => {
    expect(proxiesOf('10.0.0.5')).to.not.equal(proxiesOf('10.0.0.6'));
    expect(proxiesOf('10.0.0.0/8')).to.not.equal(proxiesOf('10.0.0.0/16'));
    expect(proxiesOf('10.0.0.5')).to.not.equal(proxiesOf('(none)'.replace('(none)', '')));
    expect(proxiesOf('2001:db8::/32')).to.not.equal(proxiesOf('2001:db8::/33'));
  });
});
