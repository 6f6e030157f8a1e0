import { expect } from 'chai';
import { compiled, errorCodes, outcome, request } from './fixtures';

describe('CompiledRestrictions (JSON body rules)', () => {
  const filter = compiled('[POST].*/rest/api/2/filter[JsonData::editable==false]');
  const post = (body: unknown) => request({ method: 'POST', path: '/rest/api/2/filter', body });

  it('should say that it needs the body', () => {
    expect(filter.needsBody).to.equal(true);
  });

  it('should allow a body whose boolean node matches its JSON text', () => {
    expect(outcome(filter, post({ name: 'All Open Bugs', jql: 'type = Bug', favourite: true, editable: false }))).to.equal('ALLOWED');
  });

  it('should refuse a body whose node has another value', () => {
    expect(outcome(filter, post({ editable: true }))).to.equal('NO_RULE_MATCHED');
  });

  it('should refuse when the node or the body is missing', () => {
    expect(outcome(filter, post({ name: 'x' }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(filter, post(undefined))).to.equal('NO_RULE_MATCHED');
    expect(outcome(filter, post('editable'))).to.equal('NO_RULE_MATCHED');
  });

  it('should match strings as they are, numbers and null by their JSON text', () => {
    const c = compiled('.*[JsonData::s==false][JsonData::n==4[0-9]][JsonData::z==null]');
    expect(outcome(c, request({ body: { s: 'false', n: 42, z: null } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ body: { s: false, n: 42, z: null } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ body: { s: 'false', n: '42', z: null } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ body: { s: 'false', n: 4.2, z: null } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should follow dotted paths into nested objects', () => {
    const c = compiled('[POST].*/issue[JsonData::fields.project.key==JRA]');
    expect(outcome(c, request({ method: 'POST', path: '/issue', body: { fields: { project: { key: 'JRA' } } } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ method: 'POST', path: '/issue', body: { fields: { project: { key: 'SECRET' } } } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ method: 'POST', path: '/issue', body: { fields: { project: 'JRA' } } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ method: 'POST', path: '/issue', body: { 'fields.project.key': 'JRA' } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should follow numeric steps into arrays', () => {
    const c = compiled('.*[JsonData::items.1.name==b.*]');
    expect(outcome(c, request({ body: { items: [{ name: 'a' }, { name: 'bee' }] } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ body: { items: [{ name: 'bee' }] } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ body: { items: { 1: { name: 'bee' } } } }))).to.equal('ALLOWED');
    expect(outcome(compiled('.*[JsonData::items.01==x]'), request({ body: { items: ['y', 'x'] } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should not match objects or arrays as values', () => {
    const c = compiled('.*[JsonData::fields==.*]');
    expect(outcome(c, request({ body: { fields: { a: 1 } } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ body: { fields: ['a'] } }))).to.equal('NO_RULE_MATCHED');
  });

  it('should never reach prototype properties', () => {
    expect(errorCodes('.*[JsonData::constructor.name==Object]')).to.deep.equal(['INVALID_NAME']);
    expect(errorCodes('.*[JsonData::fields.__proto__==.*]')).to.deep.equal(['INVALID_NAME']);
    const c = compiled('.*[JsonData::fields.key==JRA]');
    expect(outcome(c, request({ body: { fields: Object.create({ key: 'JRA' }) as object } }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ body: Object.create({ fields: { key: 'JRA' } }) as object }))).to.equal('NO_RULE_MATCHED');
    expect(outcome(c, request({ body: { fields: { key: 'JRA' } } }))).to.equal('ALLOWED');
  });

  it('should not match a string value longer than the input cap', () => {
    const c = compiled('.*[JsonData::body==.*]');
    expect(outcome(c, request({ body: { body: 'x'.repeat(8192) } }))).to.equal('ALLOWED');
    expect(outcome(c, request({ body: { body: 'x'.repeat(8193) } }))).to.equal('NO_RULE_MATCHED');
  });
});
