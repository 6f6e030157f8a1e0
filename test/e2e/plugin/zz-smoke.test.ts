import { expect } from 'chai';
import { startTestHost } from '../../support/hostServer';
describe('smoke', () => {
  it('works', async () => {
    const host = await startTestHost({ product: 'jira', dbKind: 'sqlite' });
    try {
      const c = await host.request('/rest/de.resolution.apitokenauth/latest/user/token', { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: 'x' } });
      console.log(c.status, c.text);
      const tok = c.json.plainTextToken;
      const m = await host.request('/rest/api/2/myself', { auth: ['admin', tok] });
      console.log(m.status, m.text.slice(0, 200));
      const b = await host.request('/rest/api/2/myself', { bearer: tok });
      console.log(b.status, b.text.slice(0, 100));
      const l = await host.request('/rest/de.resolution.apitokenauth/latest/user/token/', { bearer: tok });
      console.log(l.status, l.text.slice(0, 300));
      const bad = await host.request('/rest/de.resolution.apitokenauth/latest/user/token', { method: 'POST', auth: ['admin', 'admin'], body: '{bad' });
      console.log(bad.status, bad.text);
    } finally { await host.stop(); }
  });
});
