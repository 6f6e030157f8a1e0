import { expect } from 'chai';
import { compiled, outcome, request } from './fixtures';

describe('CompiledRestrictions (combined restrictions)', () => {
  const c = compiled({
    rules: [
      '[POST].*/rest/api/2/issue[QueryParam::updateHistory==true][JsonData::fields.project.key==JRA][Header::X-Client==ci]',
      '[GET].*/rest/api/2/issue/JRA-[0-9]+',
    ],
    ipAllowlist: ['10.0.0.0/8', '2001:db8::/32'],
  });
  const create = {
    method: 'POST',
    path: '/rest/api/2/issue',
    query: { updateHistory: 'true' },
    headers: { 'x-client': 'ci' },
    body: { fields: { project: { key: 'JRA' } } },
    ip: '10.0.0.5',
  };

  it('should allow a request that passes the allowlist and every part of one rule', () => {
    expect(outcome(c, request(create))).to.equal('ALLOWED');
    expect(outcome(c, request({ path: '/rest/api/2/issue/JRA-3', ip: '2001:db8::9' }))).to.equal('ALLOWED');
  });

  it('should refuse a matching request from an address outside the allowlist with IP_NOT_ALLOWED', () => {
    expect(outcome(c, request({ ...create, ip: '192.168.0.1' }))).to.equal('IP_NOT_ALLOWED');
  });

  it('should refuse when any single part of the rule fails', () => {
    expect(outcome(c, request({ ...create, method: 'PUT' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ ...create, path: '/rest/api/2/issue/bulk' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ ...create, query: {} }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ ...create, headers: {} }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ ...create, body: { fields: { project: { key: 'SECRET' } } } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should not let one rule lend a part to another', () => {
    expect(outcome(c, request({ ...create, method: 'GET', path: '/rest/api/2/issue' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should check the allowlist before the rules', () => {
    expect(outcome(c, request({ path: '/rest/../x', ip: '8.8.8.8' }))).to.equal('IP_NOT_ALLOWED');
  });

  it('should report needsBody when any rule has a JSON condition', () => {
    expect(c.needsBody).to.equal(true);
    expect(c.unrestricted).to.equal(false);
  });
});
