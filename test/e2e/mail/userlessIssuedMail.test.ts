// The owner is mailed when a token of theirs is created or regenerated through an API token, so a
// thief minting for persistence is seen. A user-less token has no owner, and the mail went to no
// one (TokenMailer: NO_OWNER): a thief holding a system admin's sudo token mints or regenerates a
// user-less token (which acts as any non-admin user) and nobody is told. The system admin who holds
// its secret (its creator, or who regenerated it) is the one to tell.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

interface OutboxMail { to: string; subject: string; text: string }

const CATCH_ALL = { ipAllowlist: ['0.0.0.0/0', '::/0'] };

forEachDatabase('Mail on a user-less token issued through a token', (kind) => {
  let e2e: E2eEnv;
  before(async function () {
    this.timeout(60_000);
    e2e = await startE2e('jira', kind);
  });
  after(() => stopAndCheckLeaks(e2e));

  const settings = (body: Record<string, unknown>) => e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body });
  const outbox = async (): Promise<OutboxMail[]> => (await e2e.as('admin', '/rest/hostsim/1.0/mail')).json as OutboxMail[];
  const mailsNaming = async (to: string, id: number) => (await outbox()).filter((m) => m.to === to && m.text.includes(`(id ${id})`));
  const keep = (res: { status: number; text: string; json: { plainTextToken?: string; id?: number } }) => {
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(res.json.plainTextToken as string);
    return res.json as { id: number; plainTextToken: string };
  };
  const settled = () => new Promise((r) => setTimeout(r, 1500));

  it('should mail the system admin whose sudo token minted or regenerated a user-less token', async () => {
    expect((await settings({ sudoTokensAllowed: true })).status).to.equal(200);
    try {
      const admin = e2e.users.admin;
      const stolen = await e2e.createToken('admin', { tokenDescription: 'support', sudo: true });
      const minted = keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: stolen.plainTextToken, body: { userless: true, tokenValidityTimeInMonths: 1, ...CATCH_ALL } }));
      await settled();
      expect((await mailsNaming(admin.email, minted.id)).length, 'created through the sudo token').to.equal(1);
      keep(await e2e.req(`${API}/user/token/${minted.id}/rotate`, { method: 'POST', bearer: stolen.plainTextToken }));
      await settled();
      expect((await mailsNaming(admin.email, minted.id)).length, 'and regenerated through it').to.equal(2);
    } finally {
      await settings({ sudoTokensAllowed: false });
    }
  });
});
