// The host's dev toolbox (DEV_MODE, on under `npm start`) answered a system admin's API token as
// it answers the person: through a token, `PUT …/clock` with a negative offset revived expired
// tokens and lengthened every token's life (the calling token's too), and the licence, the jobs and
// the mail outbox could be changed. A token reads the toolbox; changes take a password or a
// session, as for switching a plugin in UPM. Found by attack review F (2026-12-03).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const TOOLBOX = '/rest/hostsim/1.0';
const DAY = 24 * 60 * 60 * 1000;

forEachDatabase('The dev toolbox through an API token', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse every change through a system admin\'s token and change nothing, and let it read', async () => {
    const { plainTextToken: bearer } = await e2e.createToken('admin', { tokenDescription: 'automation' });
    const offset = (await e2e.as('admin', `${TOOLBOX}/clock`)).json.offsetMillis as number;
    const mails = ((await e2e.as('admin', `${TOOLBOX}/mail`)).json as unknown[]).length;
    const changes = [
      e2e.req(`${TOOLBOX}/clock`, { method: 'PUT', bearer, body: { offsetMillis: -400 * DAY } }),
      e2e.req(`${TOOLBOX}/license/de.resolution.apitokenauth`, { method: 'PUT', bearer, body: { state: 'expired' } }),
      e2e.req(`${TOOLBOX}/jobs/${encodeURIComponent('de.resolution.apitokenauth:token-prune-job')}/run`, { method: 'POST', bearer }),
      e2e.req(`${TOOLBOX}/mail`, { method: 'DELETE', bearer }),
    ];
    for (const res of await Promise.all(changes)) expect(res.status, res.text).to.equal(403);
    expect((await e2e.as('admin', `${TOOLBOX}/clock`)).json.offsetMillis).to.equal(offset);
    expect(((await e2e.as('admin', `${TOOLBOX}/mail`)).json as unknown[]).length).to.be.at.least(mails);
    expect((await e2e.req('/rest/api/2/myself', { bearer })).status, 'licence unchanged').to.equal(200);
    const read = await e2e.req(`${TOOLBOX}/clock`, { bearer });
    expect(read.status).to.equal(200);
    expect(read.json.offsetMillis).to.equal(offset);
  });
});
