import { expect } from 'chai';
import { compiled, outcome, request } from './fixtures';

describe('CompiledRestrictions (method and URL)', () => {
  it('should allow everything when there are no restrictions', () => {
    const c = compiled(null);
    expect(c.unrestricted).to.equal(true);
    expect(outcome(c, request({ method: 'DELETE', path: '/rest/anything' }))).to.equal('ALLOWED');
  });

  it('should allow a matching method case-insensitively and refuse another with NO_RULE_MATCHED', () => {
    const c = compiled('[POST].*/rest/api/2/issue');
    expect(outcome(c, request({ method: 'POST', path: '/rest/api/2/issue' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ method: 'post', path: '/rest/api/2/issue' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ method: 'GET', path: '/rest/api/2/issue' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should not treat HEAD as GET', () => {
    expect(outcome(compiled('[GET].*'), request({ method: 'HEAD' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should allow any method when the rule names none', () => {
    const c = compiled('.*/rest/api/2/issue/JRA-.*');
    for (const method of ['GET', 'PUT', 'DELETE']) expect(outcome(c, request({ method, path: '/rest/api/2/issue/JRA-7' }))).to.equal('ALLOWED');
  });

  it('should match the whole path, not a part of it', () => {
    const c = compiled('/rest/api/2/issue/JRA-[0-9]+');
    expect(outcome(c, request({ path: '/rest/api/2/issue/JRA-12' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ path: '/rest/api/2/issue/JRA-12/comment' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ path: '/x/rest/api/2/issue/JRA-12' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should match the path with and without the context path when one is configured', () => {
    const withContext = compiled(['/jira/rest/api/2/myself', '/rest/api/2/serverInfo'], { contextPath: '/jira/' });
    expect(outcome(withContext, request({ path: '/rest/api/2/myself' }))).to.equal('ALLOWED');
    expect(outcome(withContext, request({ path: '/rest/api/2/serverInfo' }))).to.equal('ALLOWED');
    const withoutContext = compiled(['/jira/rest/api/2/myself']);
    expect(outcome(withoutContext, request({ path: '/rest/api/2/myself' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should admit the request when any one rule matches', () => {
    const c = compiled('[GET].*/a\n[POST].*/b');
    expect(outcome(c, request({ method: 'POST', path: '/b' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ method: 'POST', path: '/a' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should not match a path longer than the input cap', () => {
    const c = compiled('.*');
    expect(outcome(c, request({ path: '/' + 'a'.repeat(8191) }))).to.equal('ALLOWED');
    expect(outcome(c, request({ path: '/' + 'a'.repeat(8192) }))).to.equal('NO_RULE_MATCHED');
  });

  it('should not need the body for method and URL rules', () => {
    expect(compiled('[GET].*').needsBody).to.equal(false);
  });
});
