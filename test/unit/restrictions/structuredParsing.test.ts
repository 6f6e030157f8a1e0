import { expect } from 'chai';
import { parseRestrictions } from '../../../plugin/restrictions';
import { errorCodes, parsed } from './fixtures';

describe('parseRestrictions (structured form)', () => {
  it('should read an object with rules and an IP allowlist', () => {
    const value = parsed({
      rules: [{ method: 'POST', urlPattern: '.*/filter', jsonBody: [{ node: 'editable', pattern: 'false' }] }],
      ipAllowlist: [' 10.0.0.1 ', '2001:db8::/32'],
    });
    expect(value).to.deep.equal({
      rules: [{ method: 'POST', urlPattern: '.*/filter', jsonBody: [{ node: 'editable', pattern: 'false' }] }],
      ipAllowlist: ['10.0.0.1', '2001:db8::/32'],
    });
  });

  it('should read a bare list of rule objects', () => {
    expect(parsed([{ urlPattern: '.*/a' }])).to.deep.equal({ rules: [{ urlPattern: '.*/a' }], ipAllowlist: [] });
  });

  it('should read rules given as a text block inside the object', () => {
    expect(parsed({ rules: '[GET].*/a\n.*/b', ipAllowlist: '10.0.0.1, 10.0.0.2' })).to.deep.equal({
      rules: [{ method: 'GET', urlPattern: '.*/a' }, { urlPattern: '.*/b' }],
      ipAllowlist: ['10.0.0.1', '10.0.0.2'],
    });
  });

  it('should read a mix of rule objects and text lines', () => {
    expect(parsed(['[GET].*/a', { urlPattern: '.*/b' }]).rules).to.deep.equal([{ method: 'GET', urlPattern: '.*/a' }, { urlPattern: '.*/b' }]);
  });

  it('should read conditions given as name-to-pattern maps', () => {
    expect(parsed([{ urlPattern: '.*/a', queryParams: { q: '1' }, jsonBody: { 'a.b': '2' }, headers: { 'X-H': '3' } }]).rules[0]).to.deep.equal({
      urlPattern: '.*/a', queryParams: [{ name: 'q', pattern: '1' }], jsonBody: [{ node: 'a.b', pattern: '2' }], headers: [{ name: 'X-H', pattern: '3' }],
    });
  });

  it('should drop empty condition lists and a null method', () => {
    expect(parsed([{ method: null, urlPattern: '.*/a', queryParams: [], jsonBody: [], headers: [] }]).rules[0]).to.deep.equal({ urlPattern: '.*/a' });
  });

  it('should read JSON text holding the structured form', () => {
    expect(parsed('{"rules":[{"urlPattern":".*/a"}],"ipAllowlist":["::1"]}')).to.deep.equal({ rules: [{ urlPattern: '.*/a' }], ipAllowlist: ['::1'] });
    expect(parsed('["[GET].*/a"]').rules).to.deep.equal([{ method: 'GET', urlPattern: '.*/a' }]);
  });

  it('should read null and undefined as no restrictions', () => {
    expect(parsed(null)).to.deep.equal({ rules: [], ipAllowlist: [] });
    expect(parsed(undefined)).to.deep.equal({ rules: [], ipAllowlist: [] });
  });

  it('should refuse inputs of the wrong type with INVALID_INPUT', () => {
    expect(errorCodes(42)).to.deep.equal(['INVALID_INPUT']);
    expect(errorCodes(true)).to.deep.equal(['INVALID_INPUT']);
    expect(errorCodes({ rules: 5 })).to.deep.equal(['INVALID_INPUT']);
    expect(errorCodes({ rules: [], ipAllowlist: 5 })).to.deep.equal(['INVALID_INPUT']);
    expect(errorCodes({ rules: [], extra: 1 })).to.deep.equal(['INVALID_INPUT']);
  });

  it('should refuse malformed rule objects with INVALID_RULE and name the field', () => {
    const result = parseRestrictions([{ urlPattern: '.*/ok' }, { url: '.*/a' }, 7, { urlPattern: '.*/b', queryParams: [{ name: 'q' }] }, { urlPattern: '.*', method: 1 }]);
    expect(result.ok).to.equal(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.code, e.index, e.field])).to.deep.equal([
      ['INVALID_RULE', 1, 'rules[1].url'],
      ['INVALID_RULE', 2, 'rules[2]'],
      ['INVALID_RULE', 3, 'rules[3].queryParams[0]'],
      ['INVALID_RULE', 4, 'rules[4].method'],
    ]);
  });

  it('should refuse bad names with INVALID_NAME', () => {
    expect(errorCodes([{ urlPattern: '.*', queryParams: [{ name: '', pattern: 'x' }] }])).to.deep.equal(['INVALID_NAME']);
    expect(errorCodes([{ urlPattern: '.*', queryParams: [{ name: 'a==b', pattern: 'x' }] }])).to.deep.equal(['INVALID_NAME']);
    expect(errorCodes([{ urlPattern: '.*', queryParams: [{ name: 'a[]', pattern: 'x' }] }])).to.deep.equal(['INVALID_NAME']);
    expect(errorCodes([{ urlPattern: '.*', jsonBody: [{ node: 'a..b', pattern: 'x' }] }])).to.deep.equal(['INVALID_NAME']);
    expect(errorCodes([{ urlPattern: '.*', headers: [{ name: 'X Bad', pattern: 'x' }] }])).to.deep.equal(['INVALID_NAME']);
  });

  it('should refuse rules on credential headers', () => {
    expect(errorCodes('.*[Header::Authorization==Bearer .*]')).to.deep.equal(['INVALID_NAME']);
    expect(errorCodes('.*[Header::cookie==.*]')).to.deep.equal(['INVALID_NAME']);
  });

  it('should report every error found, not only the first', () => {
    expect(errorCodes({ rules: ['[BREW].*', '(a'], ipAllowlist: ['nope'] })).to.deep.equal(['INVALID_METHOD', 'INVALID_PATTERN', 'INVALID_IP']);
  });
});
