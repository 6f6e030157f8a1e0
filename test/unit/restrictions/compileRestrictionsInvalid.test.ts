import { expect } from 'chai';
import { compileRestrictions, TokenRestrictions } from '../../../plugin/restrictions';
import { outcome, request } from './fixtures';

describe('compileRestrictions (stored value no longer valid)', () => {
  it('should refuse every request with RESTRICTIONS_INVALID instead of throwing', () => {
    const broken = { rules: [{ urlPattern: '(a)\\1' }], ipAllowlist: [] } as TokenRestrictions;
    const c = compileRestrictions(broken);
    expect(c.unrestricted).to.equal(false);
    expect(outcome(c, request())).to.equal('RESTRICTIONS_INVALID');
  });

  it('should refuse a stored value of the wrong shape with RESTRICTIONS_INVALID', () => {
    expect(outcome(compileRestrictions(42 as unknown as TokenRestrictions), request())).to.equal('RESTRICTIONS_INVALID');
    expect(outcome(compileRestrictions({ rules: [], ipAllowlist: ['nope'] }), request())).to.equal('RESTRICTIONS_INVALID');
  });
});
