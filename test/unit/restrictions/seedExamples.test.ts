import { expect } from 'chai';
import { compiled, outcome, parsed, request } from './fixtures';

// The rule examples of the original app (seed 004 and docs/restrictions.md), read as text and evaluated.
describe('parseRestrictions and CompiledRestrictions (seed examples)', () => {
  it('should restrict a token to the JRA project issues', () => {
    const c = compiled('.*/rest/api/2/issue/JRA-.*');
    expect(outcome(c, request({ path: '/rest/api/2/issue/JRA-1' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ method: 'PUT', path: '/rest/api/2/issue/JRA-1/assignee' }))).to.equal('ALLOWED');
    expect(outcome(c, request({ path: '/rest/api/2/issue/ABC-1' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should restrict a token to POSTing comments on KANBAN-100', () => {
    const c = compiled('[POST].*/rest/api/2/issue/KANBAN-100/comment', { contextPath: '/jira' });
    expect(parsed('[POST].*/rest/api/2/issue/KANBAN-100/comment').rules).to.deep.equal([{ method: 'POST', urlPattern: '.*/rest/api/2/issue/KANBAN-100/comment' }]);
    expect(outcome(c, request({ method: 'POST', path: '/rest/api/2/issue/KANBAN-100/comment', body: { body: 'Comment text' } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ method: 'GET', path: '/rest/api/2/issue/KANBAN-100/comment' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ method: 'POST', path: '/rest/api/2/issue/KANBAN-101/comment' }))).to.equal('NO_RULE_MATCHED');
  });

  it('should restrict a search to JQL on the JRA project', () => {
    const c = compiled('[GET].*/rest/api/2/search[QueryParam::jql==project = JRA.*]');
    expect(parsed('[GET].*/rest/api/2/search[QueryParam::jql==project = JRA.*]').rules[0].queryParams).to.deep.equal([{ name: 'jql', pattern: 'project = JRA.*' }]);
    expect(outcome(c, request({ path: '/rest/api/2/search', query: { jql: 'project = JRA ORDER BY key' } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ path: '/rest/api/2/search', query: { jql: 'project = HR' } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should restrict filter creation to filters that are not editable', () => {
    const c = compiled('[POST].*/rest/api/2/filter[JsonData::editable==false]');
    const body = { name: 'All Open Bugs', description: 'Lists all open bugs', jql: 'type = Bug and resolution is empty', favourite: true, editable: false };
    expect(outcome(c, request({ method: 'POST', path: '/rest/api/2/filter', body }))).to.equal('ALLOWED');
    expect(outcome(c, request({ method: 'POST', path: '/rest/api/2/filter', body: { ...body, editable: true } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should restrict filter creation to filters that are neither editable nor favourites', () => {
    const c = compiled('[POST].*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]');
    const body = { name: 'All Open Bugs', jql: 'type = Bug', favourite: false, editable: false };
    expect(outcome(c, request({ method: 'POST', path: '/rest/api/2/filter', body }))).to.equal('ALLOWED');
    expect(outcome(c, request({ method: 'POST', path: '/rest/api/2/filter', body: { ...body, favourite: true } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should restrict worklog reads to a date range given in parameters', () => {
    const c = compiled('[GET].*/rest/api/2/worklog/updated[QueryParam::since==2018-(0[1-9]|1[01])-[0-3][0-9]|2018-12-01]');
    expect(outcome(c, request({ path: '/rest/api/2/worklog/updated', query: { since: '2018-06-15' } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ path: '/rest/api/2/worklog/updated', query: { since: '2019-01-01' } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should read all the seed examples together, one per line', () => {
    const text = [
      '[POST].*/rest/api/2/issue/KANBAN-100/comment',
      '.*/rest/api/2/issue/JRA-.*',
      '[GET].*/rest/api/2/search[QueryParam::jql==project = JRA.*]',
      '[POST].*/rest/api/2/filter[JsonData::editable==false]',
    ].join('\n');
    expect(parsed(text).rules.map((r) => r.method ?? '*')).to.deep.equal(['POST', '*', 'GET', 'POST']);
  });
});
