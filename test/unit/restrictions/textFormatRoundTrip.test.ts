import { expect } from 'chai';
import { formatRestrictionsAsText, formatRule, TokenRestrictions } from '../../../plugin/restrictions';
import { parsed } from './fixtures';

const SAMPLES = [
  '[POST].*/rest/api/2/issue/KANBAN-100/comment',
  '.*/rest/api/2/issue/JRA-.*',
  '[GET].*/rest/api/2/search[QueryParam::jql==project = JRA.*]',
  '[POST].*/rest/api/2/filter[JsonData::editable==false]',
  '[PUT].*/issue/[A-Z]+-[0-9]+[QueryParam::a==[]x]+][QueryParam::b==[^]]*][JsonData::fields.labels.0==\\Q]]\\E][Header::X-A==a\\]b]',
  '[/a-z]+/rest/.*',
  '(?:[GET])/x',
  '.*/x[QueryParam::empty==]',
];

describe('formatRestrictionsAsText', () => {
  it('should write every sample back exactly as written', () => {
    for (const line of SAMPLES) expect(formatRestrictionsAsText(parsed(line))).to.equal(line);
  });

  it('should round-trip rules and the IP allowlist through the text form', () => {
    const value = parsed({ rules: SAMPLES, ipAllowlist: ['10.0.0.0/8', '2001:db8::/32', '::ffff:192.168.1.7'] });
    const text = formatRestrictionsAsText(value);
    expect(parsed(text)).to.deep.equal(value);
  });

  it('should round-trip a structured value given in map form', () => {
    const value = parsed([{ method: 'get', urlPattern: '.*/search', queryParams: { jql: 'project = JRA.*' }, headers: { 'X-Env': 'prod|test' } }]);
    expect(parsed(formatRestrictionsAsText(value))).to.deep.equal(value);
  });

  it('should write conditions grouped by kind: query, then JSON, then header', () => {
    const value = parsed('.*/a[Header::X-H==h][JsonData::j==1][QueryParam::q==2]');
    expect(formatRule(value.rules[0])).to.equal('.*/a[QueryParam::q==2][JsonData::j==1][Header::X-H==h]');
  });

  it('should write an empty value as an empty text', () => {
    const empty: TokenRestrictions = { rules: [], ipAllowlist: [] };
    expect(formatRestrictionsAsText(empty)).to.equal('');
  });
});
