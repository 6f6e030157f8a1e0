// A user-less token acts as whichever user Basic names. With `auditTokenUse: sampled` (the
// default) its use was sampled per token and client only, so its holder acted as alice, then as
// bob and carol from the same address within the hour and the audit log showed alice alone:
// nothing recorded that anyone had acted as bob or carol. Each user it acts as now gets the
// `token used` event of their own first use per client and hour.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startE2e, stopAndCheckLeaks, type E2eEnv } from '../plugin/support/e2eHost';

const RULE = '[GET].*/rest/api/2/myself';
const MYSELF = '/rest/api/2/myself';

type AuditEntity = Record<string, unknown> & { author: { name: string }; extraAttributes: Array<{ name: string; value: string }> };

forEachDatabase('User-less token use, sampled per acting user', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should audit the first use as each user it acts as, once per client and hour', async () => {
    const token = await e2e.createToken('admin', { userless: true, tokenDescription: 'shared automation', restrictions: RULE });
    for (const name of ['alice', 'bob', 'alice', 'carol', 'bob'] as const) {
      const res = await e2e.req(MYSELF, { auth: [name, token.plainTextToken] });
      expect(res.status, name).to.equal(200);
      expect(res.json.name).to.equal(name);
    }
    const ofToken = (events: Array<Record<string, unknown>>) => (events as AuditEntity[])
      .filter((e) => e.extraAttributes.some((a) => a.name === 'tokenId' && a.value === String(token.id)));
    // Events are written in order: once carol's is there, every earlier one is (else all there are).
    await e2e.auditEvents('token.used', (all) => ofToken(all).some((e) => e.author.name === 'carol'));
    const events = ofToken(await e2e.auditEvents('token.used'));
    expect(events.map((e) => e.author.name).sort()).to.deep.equal(['alice', 'bob', 'carol']);
  });
});
