import { expect } from 'chai';
import { SCOPE_READ_ONLY, SCOPE_READ_WRITE, type Token } from '../../../plugin/ao/Token';
import { ApiError } from '../../../plugin/errors/ApiError';
import type { Actor } from '../../../plugin/service/Actor';
import { CallerTokenCheck, narrowedDetails } from '../../../plugin/service/CallerTokenCheck';
import { createCapturingLogger, FakeAuditService, FakeClock, FakeUserManager } from '../../support/spi-fakes';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function row(overrides: Partial<Token> = {}): Token {
  return {
    id: 7, stringId: 'asp_x', publicId: 'pub7', userKey: 'alice', description: 'd', created: 0, createdBy: 'alice', validUntil: NOW + 1000,
    scope: SCOPE_READ_WRITE, lastAccessed: 0, lastIp: null, useCount: 0, restrictions: null, notificationState: null, knownIps: null,
    version: 1, sudo: false, issuedVia: null, issuedTo: null, ...overrides,
  };
}

describe('CallerTokenCheck', () => {
  let stored: Token | null;
  let users: FakeUserManager;
  let audit: FakeAuditService;
  let check: CallerTokenCheck;
  let actor: Actor;

  beforeEach(() => {
    stored = row();
    users = new FakeUserManager();
    const alice = users.addUser({ name: 'alice', key: 'alice' });
    audit = new FakeAuditService();
    check = new CallerTokenCheck({ store: { get: async (id) => (stored && stored.id === id ? stored : null) }, users, clock: new FakeClock(NOW), audit, logger: createCapturingLogger().logger });
    actor = { user: alice, viaToken: { id: 7, publicId: 'pub7', scope: SCOPE_READ_WRITE, restricted: false, validUntil: NOW + 1000, sudo: false }, ip: '10.0.0.1' };
  });

  const refusal = async (): Promise<string | null> => {
    try {
      await check.requireLive(actor, { method: 'POST', path: '/rest/x' });
      return null;
    } catch (err) {
      expect(err).to.be.instanceOf(ApiError);
      expect((err as ApiError).code).to.equal('TOKEN_AUTH_FAILED');
      const reason = (audit.events.at(-1)?.attributes as Record<string, string> | undefined)?.reason;
      return reason ?? 'not audited';
    }
  };

  it('should pass a caller without a token without reading anything', async () => {
    stored = null;
    expect(await check.requireLive({ ...actor, viaToken: null }, { method: 'POST', path: '/rest/x' })).to.equal(null);
  });

  it('should return the row as it is now for a live token', async () => {
    stored = row({ scope: SCOPE_READ_ONLY });
    expect((await check.requireLive(actor, { method: 'POST', path: '/rest/x' }))?.scope).to.equal(SCOPE_READ_ONLY);
    expect(audit.events).to.deep.equal([]);
  });

  it('should record the path the filter admitted the request for, a pasted token cut, and none when the principal carries none', async () => {
    stored = null;
    const pasted = `apitok_AbCdEfGhIjKl_${'Q'.repeat(28)}abcdef`;
    await check.requireLive(actor, { method: 'DELETE', path: `/rest/de.resolution.apitokenauth/latest/user/token/${pasted}/x y` }).catch(() => undefined);
    expect((audit.events.at(-1)?.attributes as Record<string, string>).path)
      .to.equal('/rest/de.resolution.apitokenauth/latest/user/token/apitok_AbCdEfGhIjKl_…/x y');
    await check.requireLive(actor, { method: 'DELETE', path: null }).catch(() => undefined);
    expect((audit.events.at(-1)?.attributes as Record<string, string>).path).to.equal('');
  });

  it('should refuse and audit a token deleted, regenerated or expired, or a user deactivated meanwhile', async () => {
    stored = null;
    expect(await refusal()).to.equal('REVOKED_DURING_REQUEST:DELETED');
    stored = row({ publicId: 'other' });
    expect(await refusal()).to.equal('REVOKED_DURING_REQUEST:REGENERATED');
    stored = row({ validUntil: NOW });
    expect(await refusal()).to.equal('REVOKED_DURING_REQUEST:EXPIRED');
    stored = row();
    users.setActive('alice', false);
    expect(await refusal()).to.equal('REVOKED_DURING_REQUEST:USER_INACTIVE');
  });

  it('should refuse a principal without a public id or with an id that names no row', async () => {
    actor = { ...actor, viaToken: { ...actor.viaToken!, publicId: '' } };
    expect(await refusal()).to.equal('REVOKED_DURING_REQUEST:REGENERATED');
    actor = { ...actor, viaToken: { ...actor.viaToken!, id: Number.NaN, publicId: 'pub7' } };
    expect(await refusal()).to.equal('REVOKED_DURING_REQUEST:DELETED');
  });
});

describe('narrowedDetails', () => {
  const details = { tokenId: 7, publicId: 'pub7', scope: SCOPE_READ_WRITE, restricted: false, validUntil: NOW + 1000, sudo: false };

  it('should take the weaker of the admitted and the current limits', () => {
    expect(narrowedDetails(details, row({ scope: SCOPE_READ_ONLY, restrictions: '{}', validUntil: NOW + 10 }))).to.include({ scope: SCOPE_READ_ONLY, restricted: true, validUntil: NOW + 10 });
  });

  it('should not widen a request by a widening of the row meanwhile', () => {
    const admitted = { ...details, scope: SCOPE_READ_ONLY, restricted: true, validUntil: NOW + 10 };
    expect(narrowedDetails(admitted, row({ validUntil: NOW + 5000 }))).to.include({ scope: SCOPE_READ_ONLY, restricted: true, validUntil: NOW + 10 });
  });

  it('should read missing details as their weakest value', () => {
    expect(narrowedDetails({ tokenId: 7 }, row())).to.include({ restricted: true, validUntil: 0 });
  });
});
