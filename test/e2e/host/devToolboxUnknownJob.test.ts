// The dev toolbox runs a job by its full key, `<plugin key>:<module key>`. A newcomer who sends the
// module key the descriptor shows (`POST /rest/hostsim/1.0/jobs/expiry-warning-job/run`) got 404
// "No job 'expiry-warning-job' is scheduled" and no way to find the right key (found by the
// newcomer walkthrough, 2026-12-05). The 404 now lists the keys that are scheduled.
import { expect } from 'chai';
import { startHost, type Host } from '../../../host-sim/testing';

const ADMIN: [string, string] = ['admin', 'admin'];

describe('Dev toolbox: running a job that is not scheduled', function () {
  this.timeout(60_000);
  let host: Host;
  before(async () => { host = await startHost(); });
  after(() => host.stop());

  it('should answer 404 naming the scheduled job keys', async () => {
    const res = await host.request('/rest/hostsim/1.0/jobs/expiry-warning-job/run', { method: 'POST', auth: ADMIN });
    expect(res.status).to.equal(404);
    expect(res.json.errorMessage).to.contain('de.resolution.apitokenauth:expiry-warning-job');
    expect(res.json.errorMessage).to.contain('de.resolution.apitokenauth:token-prune-job');
  });

  it('should run the job by the key the 404 names', async () => {
    const res = await host.request('/rest/hostsim/1.0/jobs/de.resolution.apitokenauth:expiry-warning-job/run', { method: 'POST', auth: ADMIN });
    expect(res.status).to.equal(200);
    expect(res.json).to.deep.equal({ jobKey: 'de.resolution.apitokenauth:expiry-warning-job', ran: true });
  });
});
