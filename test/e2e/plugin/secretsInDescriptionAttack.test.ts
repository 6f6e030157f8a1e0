// A token pasted into a description (create, rename, the /rest/api-tokens label) would be stored
// and shown in full: Token Manager, CSV, audit events, mails. It is refused instead.
import { expect } from 'chai';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

describe('secrets in descriptions', () => {
  let e2e: E2eEnv;
  let leaked: string;
  before(async () => {
    e2e = await startE2e('jira', 'sqlite');
    leaked = (await e2e.createToken('alice')).plainTextToken;
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse a token, alone or inside text, as the description of a new token', async () => {
    for (const description of [leaked, `CI (old one: ${leaked})`, `${leaked.slice(0, 48)}`]) {
      const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenDescription: description } });
      expect(res.status).to.equal(400);
      expect(Object.keys(res.json.errors)).to.deep.equal(['tokenDescription']);
      expect(res.text).to.not.include(leaked.slice(20, 48));
    }
  });

  // Black-box review (2026-12-05): pasted without its prefix, the checksum still tells a token from text.
  it('should refuse a token without its apitok_ prefix, whose checksum still holds, alone or inside text', async () => {
    const bare = leaked.slice('apitok_'.length);
    for (const description of [bare, `CI key ${bare}.`, `(${bare})`]) {
      const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenDescription: description } });
      expect(res.status, description.replace(bare, '<bare>')).to.equal(400);
      expect(Object.keys(res.json.errors)).to.deep.equal(['tokenDescription']);
    }
    const label = await e2e.as('alice', '/rest/api-tokens/latest/', { method: 'POST', body: { label: `deploy ${bare}` } });
    expect(label.status).to.equal(400);
    // The same shape with a checksum that does not hold is text like any other (not this token's secret: the leak check would find it).
    const other = `Build12Agent_${'x'.repeat(28)}abcdef`;
    const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenDescription: other } });
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
  });

  it('should refuse a token as a new description and keep the old one', async () => {
    const { id } = await e2e.createToken('alice', { tokenDescription: 'kept' });
    const res = await e2e.as('alice', `${API}/user/token/${id}`, { method: 'PATCH', body: { tokenDescription: leaked } });
    expect(res.status).to.equal(400);
    const list = await e2e.as('alice', `${API}/user/token`);
    expect(JSON.stringify(list.json)).to.not.include(leaked.slice(20, 48));
  });

  it('should refuse a token as the label of a /rest/api-tokens token', async () => {
    const res = await e2e.as('alice', '/rest/api-tokens/latest/', { method: 'POST', body: { label: leaked } });
    expect(res.status).to.equal(400);
  });

  it('should still take a description that only names a token by its public id', async () => {
    const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenDescription: `replaces ${leaked.slice(0, 20)}…` } });
    expect(res.status).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
  });
});
