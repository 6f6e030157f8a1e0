// A change made through a stolen token was audited under its owner with method "API token", but for
// a PATCH, a DELETE or "delete all" nothing named the token that made it, so incident response
// could not tell which token leaked (create and regenerate named it, `issuedViaTokenId`; with
// `auditTokenUse: off` no other event tells it). Every change through a token now carries
// `viaTokenId`.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

type AuditEntity = Record<string, unknown> & { extraAttributes: Array<{ name: string; value: string }>; affectedObjects: Array<{ id: string }> };

function attr(event: AuditEntity, name: string): string | undefined {
  return event.extraAttributes.find((a) => a.name === name)?.value;
}

forEachDatabase('The audit names the token a change was made through', (kind) => {
  let e2e: E2eEnv;

  before(async () => {
    e2e = await startE2e('jira', kind);
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { auditTokenUse: 'off' } })).status).to.equal(200);
  });
  after(() => stopAndCheckLeaks(e2e));

  const eventFor = async (action: string, tokenId: number): Promise<AuditEntity> => {
    const ofToken = (events: AuditEntity[]) => events.find((e) => e.affectedObjects.some((o) => o.id === String(tokenId)));
    const event = ofToken(await e2e.auditEvents(action, (events) => ofToken(events as AuditEntity[]) !== undefined) as AuditEntity[]);
    expect(event, `${action} of token ${tokenId}`).to.not.equal(undefined);
    return event as AuditEntity;
  };

  it('should name the calling token on token.changed', async () => {
    const stolen = await e2e.createToken('alice', { tokenDescription: 'stolen' });
    const victim = await e2e.createToken('alice', { tokenDescription: 'victim' });
    const res = await e2e.req(`${API}/user/token/${victim.id}`, { method: 'PATCH', bearer: stolen.plainTextToken, body: { tokenDescription: 'renamed' } });
    expect(res.status).to.equal(200);
    expect(attr(await eventFor('token.changed', victim.id), 'viaTokenId')).to.equal(String(stolen.id));
  });

  it('should name the calling token on token.deleted', async () => {
    const stolen = await e2e.createToken('alice', { tokenDescription: 'stolen 2' });
    const victim = await e2e.createToken('alice', { tokenDescription: 'victim 2' });
    const res = await e2e.req(`${API}/user/token/${victim.id}`, { method: 'DELETE', bearer: stolen.plainTextToken });
    expect(res.status).to.be.oneOf([200, 204]);
    expect(attr(await eventFor('token.deleted', victim.id), 'viaTokenId')).to.equal(String(stolen.id));
  });

  it('should not name a token when the change was made with a password', async () => {
    const victim = await e2e.createToken('alice', { tokenDescription: 'victim 3' });
    const res = await e2e.as('alice', `${API}/user/token/${victim.id}`, { method: 'DELETE' });
    expect(res.status).to.be.oneOf([200, 204]);
    expect(attr(await eventFor('token.deleted', victim.id), 'viaTokenId')).to.equal(undefined);
  });
});
