import { expect } from 'chai';
import { compiled, outcome, request } from './fixtures';

describe('CompiledRestrictions (header rules)', () => {
  const c = compiled('.*[Header::X-Client==ci-(build|deploy)]');

  it('should allow a request whose header matches in full', () => {
    expect(outcome(c, request({ headers: { 'x-client': 'ci-build' } }))).to.equal('ALLOWED');
  });

  it('should refuse a header that does not match or is missing', () => {
    expect(outcome(c, request({ headers: { 'x-client': 'ci-build-2' } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ headers: {} }))).to.equal('NO_RULE_MATCHED');
  });

  it('should find the header whatever the case of its name', () => {
    expect(outcome(c, request({ headers: { 'X-CLIENT': 'ci-deploy' } }))).to.equal('ALLOWED');
  });

  it('should require every value of a repeated header to match', () => {
    expect(outcome(c, request({ headers: { 'x-client': ['ci-build', 'ci-deploy'] } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ headers: { 'x-client': ['ci-build', 'laptop'] } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should match a header joined by the host as one value as a whole', () => {
    expect(outcome(c, request({ headers: { 'x-client': 'ci-build, ci-deploy' } }))).to.equal('NO_RULE_MATCHED');
  });
});
