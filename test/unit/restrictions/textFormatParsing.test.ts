import { expect } from 'chai';
import { parseRestrictions } from '../../../plugin/restrictions';
import { errorCodes, parsed } from './fixtures';

describe('parseRestrictions (text form)', () => {
  it('should read a URL-only rule without a method', () => {
    expect(parsed('.*/rest/api/2/issue/JRA-.*').rules).to.deep.equal([{ urlPattern: '.*/rest/api/2/issue/JRA-.*' }]);
  });

  it('should read the method prefix and normalise it to upper case', () => {
    expect(parsed('[post].*/rest/api/2/issue/KANBAN-100/comment').rules).to.deep.equal([
      { method: 'POST', urlPattern: '.*/rest/api/2/issue/KANBAN-100/comment' },
    ]);
  });

  it('should read query, JSON and header conditions in any order and keep their order per kind', () => {
    const rules = parsed('[GET].*/a[QueryParam::x==1][JsonData::b.c==2][QueryParam::y==3][Header::X-Env==prod]').rules;
    expect(rules).to.deep.equal([{
      method: 'GET',
      urlPattern: '.*/a',
      queryParams: [{ name: 'x', pattern: '1' }, { name: 'y', pattern: '3' }],
      jsonBody: [{ node: 'b.c', pattern: '2' }],
      headers: [{ name: 'X-Env', pattern: 'prod' }],
    }]);
  });

  it('should keep character classes inside the URL regex', () => {
    const rules = parsed('[GET].*/issue/[A-Z]+-[0-9]+[QueryParam::expand==[a-z,]*]').rules;
    expect(rules[0].urlPattern).to.equal('.*/issue/[A-Z]+-[0-9]+');
    expect(rules[0].queryParams).to.deep.equal([{ name: 'expand', pattern: '[a-z,]*' }]);
  });

  it('should treat a URL regex starting with a character class that is not letters-only as the URL', () => {
    expect(parsed('[/a-z]+/rest/.*').rules).to.deep.equal([{ urlPattern: '[/a-z]+/rest/.*' }]);
  });

  it('should end a condition at its first top-level ] only', () => {
    const rules = parsed('.*/x[QueryParam::a==[]x]+][QueryParam::b==[^]]*][Header::X-A==a\\]b][JsonData::c==\\Q]]\\E]').rules;
    expect(rules[0].queryParams).to.deep.equal([{ name: 'a', pattern: '[]x]+' }, { name: 'b', pattern: '[^]]*' }]);
    expect(rules[0].headers).to.deep.equal([{ name: 'X-A', pattern: 'a\\]b' }]);
    expect(rules[0].jsonBody).to.deep.equal([{ node: 'c', pattern: '\\Q]]\\E' }]);
  });

  it('should keep POSIX classes inside bracket expressions', () => {
    expect(parsed('.*/x[QueryParam::a==[[:digit:]]+]').rules[0].queryParams).to.deep.equal([{ name: 'a', pattern: '[[:digit:]]+' }]);
  });

  it('should accept == inside a condition pattern', () => {
    expect(parsed('.*/s[QueryParam::jql==a==b]').rules[0].queryParams).to.deep.equal([{ name: 'jql', pattern: 'a==b' }]);
  });

  it('should recognise condition markers in any letter case', () => {
    expect(parsed('.*/s[queryparam::q==1][JSONDATA::n==2][header::X-Y==3]').rules[0]).to.deep.equal({
      urlPattern: '.*/s', queryParams: [{ name: 'q', pattern: '1' }], jsonBody: [{ node: 'n', pattern: '2' }], headers: [{ name: 'X-Y', pattern: '3' }],
    });
  });

  it('should read one rule per line, ignoring blank lines, CRLF and surrounding white space', () => {
    const rules = parsed('  [GET].*/a  \r\n\r\n\t.*/b\n').rules;
    expect(rules).to.deep.equal([{ method: 'GET', urlPattern: '.*/a' }, { urlPattern: '.*/b' }]);
  });

  it('should read a list of rule lines', () => {
    expect(parsed(['[GET].*/a', '', '.*/b']).rules).to.deep.equal([{ method: 'GET', urlPattern: '.*/a' }, { urlPattern: '.*/b' }]);
  });

  it('should read [IpAllowlist::] lines into the allowlist', () => {
    expect(parsed('.*/a\n[IpAllowlist::10.0.0.0/8, ::1]\n[ipallowlist::192.168.0.1]').ipAllowlist).to.deep.equal(['10.0.0.0/8', '::1', '192.168.0.1']);
  });

  it('should read an empty text as no restrictions', () => {
    expect(parsed('')).to.deep.equal({ rules: [], ipAllowlist: [] });
    expect(parsed(' \n ')).to.deep.equal({ rules: [], ipAllowlist: [] });
  });

  it('should refuse a condition without == with INVALID_RULE', () => {
    expect(errorCodes('.*/a[QueryParam::jql]')).to.deep.equal(['INVALID_RULE']);
  });

  it('should refuse an unterminated condition with INVALID_RULE', () => {
    expect(errorCodes('.*/a[QueryParam::a==[0-9]+')).to.deep.equal(['INVALID_RULE']);
  });

  it('should refuse text after the last condition with INVALID_RULE', () => {
    expect(errorCodes('.*/a[QueryParam::a==1]/more')).to.deep.equal(['INVALID_RULE']);
  });

  it('should refuse an unknown method with INVALID_METHOD', () => {
    expect(errorCodes('[FETCH].*/a')).to.deep.equal(['INVALID_METHOD']);
  });

  it('should refuse a method with no URL pattern with INVALID_RULE', () => {
    expect(errorCodes('[GET]')).to.deep.equal(['INVALID_RULE']);
  });

  it('should refuse an [IpAllowlist:: line without its closing bracket', () => {
    expect(errorCodes('[IpAllowlist::10.0.0.1')).to.deep.equal(['INVALID_RULE']);
  });

  it('should refuse a list entry holding several lines', () => {
    expect(errorCodes(['.*/a\n.*/b'])).to.deep.equal(['INVALID_RULE']);
  });

  it('should report the line number and rule index of each error', () => {
    const result = parseRestrictions('.*/ok\n\n[GET](a\n[BREW].*');
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.code, e.index, e.line])).to.deep.equal([
      ['INVALID_PATTERN', 1, 3],
      ['INVALID_METHOD', 2, 4],
    ]);
  });
});
