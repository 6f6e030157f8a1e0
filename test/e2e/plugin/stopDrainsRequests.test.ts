// An orderly stop (SIGTERM, a rolling restart behind the balancer) lets the requests already under
// way finish before the plugins stop. It used to stop the plugins at once, so a script whose token
// request was still being decided (its body arriving, a read under way) got 401 — a wrong
// credential to the script, which may give up or raise an alarm — and its token use was not
// recorded. New requests get 503 while the node drains.
import { expect } from 'chai';
import { sendRequest } from '../../support/hostServer';
import { startE2e, type E2eEnv } from './support/e2eHost';
import { heldRequest } from './support/heldRequest';

describe('An orderly stop and the token requests under way (sqlite)', () => {
  let e2e: E2eEnv | undefined;
  afterEach(async () => { await e2e?.host.stop(); e2e = undefined; });

  it('should finish a token request admitted before the stop, and answer new requests with 503 meanwhile', async function () {
    this.timeout(30_000);
    e2e = await startE2e('jira', 'sqlite');
    const token = await e2e.createToken('admin', { tokenDescription: 'deploy script' });
    const pending = await heldRequest(e2e.host.baseUrl, '/rest/api/2/user', token.plainTextToken,
      { name: 'duringstop', password: 'duringstop-pw-1', emailAddress: 'd@example.com', displayName: 'During stop' });
    let stopped = false;
    const stopping = e2e.host.stop().then(() => { stopped = true; });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = await sendRequest(`${e2e.host.baseUrl}/rest/api/2/myself`, { bearer: token.plainTextToken });
    expect({ status: later.status, stopped }).to.deep.equal({ status: 503, stopped: false });

    const answer = await pending.finish();
    expect(answer.status, JSON.stringify(answer.json)).to.equal(201);
    await stopping;
  });
});
