import { expect } from 'chai';
import { parseRestrictions, validateIpEntries } from '../../../plugin/restrictions';
import { EngineRestrictionSupport } from '../../../plugin/restrictions/EngineRestrictionSupport';
import { compiled, errorCodes, outcome, request } from './fixtures';

/** Keys a client may send to reach the prototype chain or shadow Object.prototype. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

/** JSON.parse keeps `__proto__` and friends as own properties, as a REST body arrives. */
function ownJson(text: string): unknown {
  return JSON.parse(text);
}

describe('Restrictions read own properties only', () => {
  it('should refuse prototype keys at the root with INVALID_INPUT naming the key', () => {
    for (const key of PROTOTYPE_KEYS) {
      const input = ownJson(`{"rules": ["[GET].*/a"], ${JSON.stringify(key)}: {"rules": ["[POST].*"]}}`);
      const result = parseRestrictions(input);
      if (result.ok) expect.fail(`${key} accepted`);
      expect(result.errors.map((e) => [e.code, e.field]), key).to.deep.equal([['INVALID_INPUT', key]]);
    }
  });

  it('should refuse prototype keys in a rule object with INVALID_RULE naming the field', () => {
    for (const key of PROTOTYPE_KEYS) {
      const result = parseRestrictions(ownJson(`{"rules": [{"urlPattern": ".*/a", ${JSON.stringify(key)}: {"method": "POST"}}]}`));
      if (result.ok) expect.fail(`${key} accepted`);
      expect(result.errors.map((e) => [e.code, e.field]), key).to.deep.equal([['INVALID_RULE', `rules[0].${key}`]]);
    }
  });

  it('should refuse prototype keys in a condition object with INVALID_RULE', () => {
    for (const key of PROTOTYPE_KEYS) {
      const input = ownJson(`{"rules": [{"urlPattern": ".*", "queryParams": [{"name": "q", "pattern": "x", ${JSON.stringify(key)}: 1}]}]}`);
      expect(errorCodes(input), key).to.deep.equal(['INVALID_RULE']);
    }
  });

  it('should refuse prototype names as parameter, header and JSON node names with INVALID_NAME', () => {
    for (const key of PROTOTYPE_KEYS) {
      expect(errorCodes(ownJson(`{"rules": [{"urlPattern": ".*", "queryParams": {${JSON.stringify(key)}: "x"}}]}`)), `map ${key}`).to.deep.equal(['INVALID_NAME']);
      expect(errorCodes(`.*[QueryParam::${key}==x]`), `query ${key}`).to.deep.equal(['INVALID_NAME']);
      expect(errorCodes(`.*[JsonData::fields.${key}.x==y]`), `json ${key}`).to.deep.equal(['INVALID_NAME']);
    }
    expect(errorCodes('.*[Header::Constructor==x]')).to.deep.equal(['INVALID_NAME']);
    expect(errorCodes('.*[Header::__PROTO__==x]')).to.deep.equal(['INVALID_NAME']);
  });

  it('should not read rule fields, rules or the allowlist through the prototype chain', () => {
    expect(errorCodes([Object.create({ urlPattern: '.*' }) as object])).to.deep.equal(['INVALID_RULE']);
    const inherited = Object.assign(Object.create({ ipAllowlist: ['10.0.0.0/8'], rules: ['[POST].*'] }) as object, { rules: ['[GET].*/a'] });
    const result = parseRestrictions(inherited);
    expect(result).to.deep.equal({ ok: true, value: { rules: [{ method: 'GET', urlPattern: '.*/a' }], ipAllowlist: [] } });
    expect(errorCodes(ownJson('{"rules": [], "ipAllowlist": {"__proto__": ["1.2.3.4"]}}'))).to.deep.equal(['INVALID_INPUT']);
    expect(validateIpEntries([ownJson('{"toString": "1.2.3.4"}')]).ok).to.equal(false);
  });

  it('should answer the plugin seam with field errors (a 400), never throw, and pollute nothing', () => {
    const support = new EngineRestrictionSupport('/jira');
    const bodies = [
      '{"__proto__": {"polluted": 1}}',
      '{"rules": {"__proto__": ["x"]}}',
      '{"rules": [{"__proto__": {"polluted": 1}, "urlPattern": ".*"}]}',
      '{"rules": [{"urlPattern": ".*", "headers": {"__proto__": "x"}}]}',
      '{"rules": [{"urlPattern": ".*", "jsonBody": [{"node": "constructor.prototype", "pattern": "x"}]}]}',
      '{"constructor": {"prototype": {"polluted": 1}}}',
      '[{"urlPattern": ".*", "hasOwnProperty": "x"}]',
    ];
    for (const body of bodies) {
      const result = support.parse(JSON.parse(body), JSON.parse('{"__proto__": ["1.2.3.4"]}'));
      expect(result.ok, body).to.equal(false);
      if (!result.ok) expect(Object.keys(result.errors).length, body).to.be.at.least(1);
      expect(support.parse(undefined, JSON.parse(body)).ok, `ipAllowlist ${body}`).to.equal(false);
    }
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('should match query parameters and headers by own properties only', () => {
    const c = compiled('[GET].*/rest/api/2/search[QueryParam::jql==project = JRA][Header::X-Client==ci]');
    const query = Object.create({ jql: 'project = JRA' }) as Record<string, string>;
    const headers = Object.create({ 'x-client': 'ci' }) as Record<string, string>;
    expect(outcome(c, request({ path: '/rest/api/2/search', query, headers: { 'x-client': 'ci' } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ path: '/rest/api/2/search', query: { jql: 'project = JRA' }, headers }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ path: '/rest/api/2/search', query: { jql: 'project = JRA' }, headers: { 'X-Client': 'ci' } }))).to.equal('ALLOWED');
  });
});
