import { expect } from 'chai';
import { compiled, errorCodes, outcome, request } from './fixtures';

describe('CompiledRestrictions (query parameter rules)', () => {
  const c = compiled('[GET].*/rest/api/2/search[QueryParam::jql==project = JRA.*]');
  const search = (query: Record<string, string | string[] | undefined>) => request({ path: '/rest/api/2/search', query });

  it('should allow a request whose parameter matches in full', () => {
    expect(outcome(c, search({ jql: 'project = JRA AND status = Open' }))).to.equal('ALLOWED');
  });

  it('should refuse a parameter that matches only in part', () => {
    expect(outcome(c, search({ jql: 'x or project = JRA' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should refuse when the parameter is missing', () => {
    expect(outcome(c, search({}))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, search({ jql: undefined }))).to.equal('NO_RULE_MATCHED');
  });

  it('should require every value of a repeated parameter to match', () => {
    expect(outcome(c, search({ jql: ['project = JRA', 'project = JRA AND x'] }))).to.equal('ALLOWED');
    expect(outcome(c, search({ jql: ['project = JRA', 'project = SECRET'] }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, search({ jql: ['project = SECRET', 'project = JRA'] }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, search({ jql: [] }))).to.equal('NO_RULE_MATCHED');
  });

  it('should require every parameter condition of the rule', () => {
    const two = compiled('.*/worklog[QueryParam::since==2018-.*][QueryParam::until==2018-.*]');
    expect(outcome(two, request({ path: '/worklog', query: { since: '2018-01-01', until: '2018-12-01' } }))).to.equal('ALLOWED');
    expect(outcome(two, request({ path: '/worklog', query: { since: '2018-01-01', until: '2019-12-01' } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(two, request({ path: '/worklog', query: { since: '2018-01-01' } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should match parameter names case-sensitively and ignore other parameters', () => {
    expect(outcome(c, search({ JQL: 'project = JRA' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, search({ jql: 'project = JRA', maxResults: '1000' }))).to.equal('ALLOWED');
  });

  it('should match an empty value only when the pattern admits it', () => {
    expect(outcome(compiled('.*[QueryParam::flag==]'), request({ query: { flag: '' } }))).to.equal('ALLOWED');
    expect(outcome(c, search({ jql: '' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should not read inherited properties as parameters', () => {
    expect(errorCodes('.*[QueryParam::toString==.*]')).to.deep.equal(['INVALID_NAME']);
    const inherited = Object.create({ jql: 'project = JRA' }) as Record<string, string>;
    expect(outcome(c, search(inherited))).to.equal('NO_RULE_MATCHED');
  });

  it('should refuse non-string values that a nested query parser may produce', () => {
    const query = { jql: { $ne: 'x' } } as unknown as Record<string, string>;
    expect(outcome(c, search(query))).to.equal('NO_RULE_MATCHED');
  });
});
