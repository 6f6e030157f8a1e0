import { expect } from 'chai';
import { compiled, outcome, request } from './fixtures';

describe('CompiledRestrictions (path canonical form)', () => {
  const c = compiled('.*/rest/api/2/issue/JRA-.*');

  it('should refuse dot segments with PATH_NOT_CANONICAL', () => {
    for (const path of ['/rest/api/2/issue/JRA-1/../../user', '/rest/api/2/issue/JRA-1/./x', '/rest/api/2/issue/JRA-1/%2e%2E/x', '/rest/api/2/issue/JRA-1/..;x/y']) {
      expect(outcome(c, request({ path })), path).to.equal('PATH_NOT_CANONICAL');
    }
  });

  it('should refuse encoded slashes and backslashes with PATH_NOT_CANONICAL', () => {
    for (const path of ['/rest/api/2/issue/JRA-1%2F..%2Fuser', '/rest/api/2/issue/JRA-1%5cx', '/rest/api/2/issue/JRA-1\\x']) {
      expect(outcome(c, request({ path })), path).to.equal('PATH_NOT_CANONICAL');
    }
  });

  it('should allow dots inside segments', () => {
    expect(outcome(c, request({ path: '/rest/api/2/issue/JRA-1.json' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ path: '/rest/api/2/issue/JRA-...' }))).to.equal('ALLOWED');
  });

  it('should not look at the path when the token has only an IP allowlist', () => {
    expect(outcome(compiled({ ipAllowlist: ['127.0.0.1'] }), request({ path: '/rest/../x' }))).to.equal('ALLOWED');
  });
});
