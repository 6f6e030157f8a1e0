import { expect } from 'chai';
import { compiled, outcome, request } from './fixtures';

// The request path the engine sees is the canonical one: percent-decoded, relative to the
// context path, without query or fragment (the filter refuses targets that could be read twice).
describe('CompiledRestrictions (decoded canonical path)', () => {
  const issue = compiled('[GET].*/rest/api/2/issue/TEST-1');

  it('should match a rule against the decoded path relative to the context path', () => {
    expect(outcome(issue, request({ path: '/rest/api/2/issue/TEST-1' }))).to.equal('ALLOWED');
    const withContext = compiled('[GET]/jira/rest/api/2/issue/TEST-1', { contextPath: '/jira' });
    expect(outcome(withContext, request({ path: '/rest/api/2/issue/TEST-1' }))).to.equal('ALLOWED');
  });

  it('should match decoded characters, not their escapes', () => {
    const page = compiled('[GET].*/rest/api/content/search/Größe und Gewicht');
    expect(outcome(page, request({ path: '/rest/api/content/search/Größe und Gewicht' }))).to.equal('ALLOWED');
    expect(outcome(page, request({ path: '/rest/api/content/search/Gr%C3%B6%C3%9Fe%20und%20Gewicht' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should not admit another resource whose decoded path merely ends like the rule', () => {
    // The issue's bypass: `/rest/api/2/myself#/rest/api/2/issue/TEST-1` is refused before the
    // engine runs; the engine itself never sees a fragment, and `/myself` does not match.
    expect(outcome(issue, request({ path: '/rest/api/2/myself' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(issue, request({ path: '/rest/api/2/issue/TEST-10' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should still refuse what a second decoding could turn into a separator or dot segment', () => {
    // `%252e%252e` decodes once to `%2e%2e`: a proxy that decodes again would see `..`.
    for (const path of ['/rest/api/2/issue/TEST-1/%2e%2e/x', '/rest/api/2/issue/TEST-1%2f..%2fx', '/rest/api/2/issue/TEST-1/../x']) {
      expect(outcome(compiled('.*/rest/api/2/issue/TEST-1.*'), request({ path })), path).to.equal('PATH_NOT_CANONICAL');
    }
  });

  it('should hold a query rule for every value of a repeated parameter', () => {
    const search = compiled('[GET].*/rest/api/2/search[QueryParam::jql==project=TEST]');
    const at = (jql: string | string[]) => outcome(search, request({ path: '/rest/api/2/search', query: { jql } }));
    expect(at('project=TEST')).to.equal('ALLOWED');
    expect(at(['project=TEST', 'project=TEST'])).to.equal('ALLOWED');
    expect(at(['project=TEST', 'project=SECRET'])).to.equal('NO_RULE_MATCHED');
    expect(at(['project=SECRET', 'project=TEST'])).to.equal('NO_RULE_MATCHED');
  });

  it('should hold a header rule for every value of a repeated header', () => {
    const client = compiled('[GET].*[Header::X-Client==ci-(build|deploy)]');
    const at = (value: string | string[]) => outcome(client, request({ headers: { 'x-client': value } }));
    expect(at(['ci-build', 'ci-deploy'])).to.equal('ALLOWED');
    expect(at(['ci-build', 'evil'])).to.equal('NO_RULE_MATCHED');
    // Node joins a repeated unknown header into one value; the rule sees what the resource sees.
    expect(at('ci-build, evil')).to.equal('NO_RULE_MATCHED');
  });
});
