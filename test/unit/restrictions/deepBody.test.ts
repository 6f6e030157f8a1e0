// The restrictions engine on deeply nested JSON: a request body (JsonData conditions) or the
// restrictions themselves nested thousands of levels deep are read without recursion, so they
// are judged (allowed, refused, invalid), never a stack overflow.
import { expect } from 'chai';
import { parseRestrictions } from '../../../plugin/restrictions';
import { EngineRestrictionSupport } from '../../../plugin/restrictions/EngineRestrictionSupport';
import { compiled, outcome, request } from './fixtures';

const DEPTH = 100_000;
const arrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const objects = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('restrictions on deeply nested JSON', () => {
  const rule = compiled('[POST].*/rest/api/2/issue[JsonData::fields.project.key==TEST]');
  const post = (body: unknown) => request({ method: 'POST', path: '/rest/api/2/issue', body });

  it('should evaluate JsonData conditions against a body nested 100,000 levels deep', () => {
    const deep = JSON.parse(arrays(DEPTH)) as unknown;
    expect(outcome(rule, post({ fields: { project: { key: 'TEST' }, labels: deep } }))).to.equal('ALLOWED');
    expect(outcome(rule, post({ fields: { project: { key: 'OTHER' }, labels: deep } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(rule, post({ fields: { project: JSON.parse(objects(DEPTH)) as unknown } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(rule, post(deep))).to.equal('NO_RULE_MATCHED');
  });

  it('should refuse deeply nested restrictions as invalid, never throw', () => {
    for (const input of [arrays(2000), `{"rules":${arrays(2000)}}`, `{"rules":[{"urlPattern":".*","jsonBody":${objects(2000)}}]}`]) {
      const outcome = parseRestrictions(input);
      expect(outcome.ok, input.slice(0, 30)).to.equal(false);
      expect(parseRestrictions(JSON.parse(input)).ok, input.slice(0, 30)).to.equal(false);
    }
    const support = new EngineRestrictionSupport('/jira');
    const parsed = support.parse({ rules: [{ urlPattern: '.*', headers: JSON.parse(objects(2000)) as unknown }] }, JSON.parse(arrays(2000)));
    expect(parsed.ok).to.equal(false);
  });
});
