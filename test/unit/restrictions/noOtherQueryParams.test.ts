import { expect } from 'chai';
import { formatRestrictionsAsText, formatRule } from '../../../plugin/restrictions';
import { compiled, errorCodes, outcome, parsed, request } from './fixtures';

// A query-parameter condition admits other parameters beside it, and some resources read another
// parameter instead: Jira's GET /rest/api/2/user prefers `username` to `key`, so a rule meant for
// one user's profile, `…/user[QueryParam::key==JIRAUSER10100]`, also admitted
// `?key=JIRAUSER10100&username=admin` and answered admin's. `[NoOtherQueryParams]` closes a rule
// to the parameters it names.
describe('CompiledRestrictions ([NoOtherQueryParams])', () => {
  const RULE = '[GET].*/rest/api/2/user[QueryParam::key==JIRAUSER10100][NoOtherQueryParams]';
  const user = (query: Record<string, string | string[] | undefined>) => request({ path: '/rest/api/2/user', query });

  it('should admit the parameters the rule names and refuse a request with any other', () => {
    const c = compiled(RULE);
    expect(outcome(c, user({ key: 'JIRAUSER10100' }))).to.equal('ALLOWED');
    expect(outcome(c, user({ key: 'JIRAUSER10100', username: 'admin' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, user({ key: 'JIRAUSER10100', '': '' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, user({ key: 'JIRAUSER10100', expand: undefined }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, user({}))).to.equal('NO_RULE_MATCHED');
  });

  it('should leave a rule without it open to other parameters, as before', () => {
    const open = compiled('[GET].*/rest/api/2/user[QueryParam::key==JIRAUSER10100]');
    expect(outcome(open, user({ key: 'JIRAUSER10100', username: 'admin' }))).to.equal('ALLOWED');
  });

  it('should admit only a request without a query when the rule names no parameter', () => {
    const c = compiled('[GET].*/rest/api/2/myself[NoOtherQueryParams]');
    expect(outcome(c, request({ query: {} }))).to.equal('ALLOWED');
    expect(outcome(c, request({ query: { expand: 'groups' } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should hold per rule: another rule of the token may still admit other parameters', () => {
    const c = compiled([RULE, '[GET].*/rest/api/2/user[QueryParam::username==alice]']);
    expect(outcome(c, user({ key: 'JIRAUSER10100', username: 'admin' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, user({ key: 'JIRAUSER10100', username: 'alice' }))).to.equal('ALLOWED');
  });

  it('should count own parameters only, as every other condition does', () => {
    const inherited = Object.assign(Object.create({ username: 'admin' }) as Record<string, string>, { key: 'JIRAUSER10100' });
    expect(outcome(compiled(RULE), user(inherited))).to.equal('ALLOWED');
  });

  it('should be read in any letter case and at any place among the conditions, and written after the query conditions', () => {
    const value = parsed('[GET].*/rest/api/2/user[nootherqueryparams][QueryParam::key==JIRAUSER10100][Header::X-Env==prod]');
    expect(value.rules[0]).to.deep.equal({
      method: 'GET', urlPattern: '.*/rest/api/2/user', queryParams: [{ name: 'key', pattern: 'JIRAUSER10100' }],
      headers: [{ name: 'X-Env', pattern: 'prod' }], noOtherQueryParams: true,
    });
    expect(formatRule(value.rules[0])).to.equal('[GET].*/rest/api/2/user[QueryParam::key==JIRAUSER10100][NoOtherQueryParams][Header::X-Env==prod]');
    expect(formatRestrictionsAsText(parsed(RULE))).to.equal(RULE);
  });

  it('should take the structured form: true sets it, false leaves it out, anything else is refused', () => {
    const base = { method: 'GET', urlPattern: '.*/rest/api/2/user', queryParams: { key: 'JIRAUSER10100' } };
    expect(parsed([{ ...base, noOtherQueryParams: true }])).to.deep.equal(parsed(RULE));
    expect(parsed([{ ...base, noOtherQueryParams: false }]).rules[0]).not.to.have.property('noOtherQueryParams');
    expect(errorCodes([{ ...base, noOtherQueryParams: 'yes' }])).to.deep.equal(['INVALID_RULE']);
    expect(errorCodes([{ ...base, noOtherQueryParams: 1 }])).to.deep.equal(['INVALID_RULE']);
    expect(parsed(JSON.stringify(parsed(RULE)))).to.deep.equal(parsed(RULE));
  });

  it('should refuse it written twice, with text after it, or inside a URL pattern where the text form would read it', () => {
    expect(errorCodes(`${RULE}[NoOtherQueryParams]`)).to.deep.equal(['INVALID_RULE']);
    expect(errorCodes('.*/x[NoOtherQueryParams]x')).to.deep.equal(['INVALID_RULE']);
    expect(errorCodes([{ urlPattern: '.*/x[NoOtherQueryParams]' }])).to.deep.equal(['INVALID_PATTERN']);
    // Inside a condition's pattern it is a character class, as any bracket there.
    expect(parsed('.*/x[QueryParam::q==a[NoOtherQueryParams]]').rules[0]).not.to.have.property('noOtherQueryParams');
  });
});
