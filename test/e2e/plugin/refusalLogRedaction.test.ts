// A refusal is logged and audited with the user name the client sent (docs/api.md). Found in
// the attack review of session 12: a token pasted into the user-name field of Basic auth was
// written there in full, in the log and in the audit log (which every administrator reads).
// Now anything that starts like a token is cut after its public id. Failed on the old code.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { curl } from './support/curl';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

forEachDatabase('refusal log redaction', (kind) => {
  let e2e: E2eEnv;

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should write a token given as the Basic user name to neither the log nor the audit log, only its public id', async () => {
    const pasted = await e2e.createToken('bob', { tokenDescription: 'pasted into the user field' });
    const other = await e2e.createToken('bob', { tokenDescription: 'in the password field' });
    const publicId = pasted.plainTextToken.slice('apitok_'.length, 'apitok_'.length + 12);
    const secretPart = pasted.plainTextToken.slice(20);
    const before = (await e2e.auditEvents('token.refused', 0)).length;
    expect((await curl(['-u', `${pasted.plainTextToken}:${other.plainTextToken}`, `${e2e.host.url}/rest/api/2/myself`])).status).to.equal(401);
    expect((await curl(['-u', `x${pasted.plainTextToken.toUpperCase()}:${other.plainTextToken}`, `${e2e.host.url}/rest/api/2/myself`])).status).to.equal(401);
    const refused = await e2e.auditEvents('token.refused', before + 2);
    const audit = JSON.stringify(refused);
    const logs = e2e.logs.join('\n');
    expect(audit).to.contain(`apitok_${publicId}_…`);
    expect(logs).to.contain(`apitok_${publicId}_…`);
    for (const secret of [secretPart, secretPart.toUpperCase()]) {
      expect(logs.includes(secret), 'log').to.equal(false);
      expect(audit.includes(secret), 'audit').to.equal(false);
    }
  });

  it('should cut a token in the path of a refused request after its public id, in the log and the audit log', async () => {
    const inPath = await e2e.createToken('alice', { tokenDescription: 'pasted into a URL' });
    const publicId = inPath.plainTextToken.slice('apitok_'.length, 'apitok_'.length + 12);
    const before = (await e2e.auditEvents('token.refused', 0)).length;
    const wrong = `apitok_AAAAAAAAAAAA_${'B'.repeat(28)}${'C'.repeat(6)}`;
    const res = await curl(['-H', `Authorization: Bearer ${wrong}`, `${e2e.host.url}/rest/api/2/issue/${inPath.plainTextToken}`]);
    expect(res.status).to.equal(401);
    const audit = JSON.stringify(await e2e.auditEvents('token.refused', before + 1));
    expect(audit).to.contain(`/rest/api/2/issue/apitok_${publicId}_…`);
    expect(e2e.logs.join('\n')).to.contain(`/rest/api/2/issue/apitok_${publicId}_…`);
    expect(audit).to.contain(`"/rest/api/2/issue/apitok_${publicId}_…"`);
    expect(audit.includes(inPath.plainTextToken.slice(20)), 'audit').to.equal(false);
    expect(e2e.logs.join('\n').includes(inPath.plainTextToken.slice(20)), 'log').to.equal(false);
  });

  // The token APIs' second look at the calling token (CallerTokenCheck) logged and audited the
  // path as sent: a token pasted into a token API URL (a leaked token's value where its id
  // belongs) was written down in full when the calling token had been revoked meanwhile.
  it('should cut a token in the path of a token API call refused on its second look, in the log and the audit log', async () => {
    const caller = await e2e.createToken('alice', { tokenDescription: 'revoked while under way' });
    const inPath = await e2e.createToken('alice', { tokenDescription: 'pasted into a token API URL' });
    const publicId = inPath.plainTextToken.slice('apitok_'.length, 'apitok_'.length + 12);
    expect((await e2e.req('/rest/api/2/myself', { bearer: caller.plainTextToken })).status).to.equal(200);
    // Deleted in the database without an invalidation: this node's cache still admits it, as a
    // node that has not yet read another node's revocation does, and the token API's check refuses it.
    const ao = e2e.host.runtime.servicesForPlugin({ pluginKey: 'de.resolution.apitokenauth', aoPrefix: 'AO_5D4005' }).activeObjects;
    expect(await new AoTokenStore(ao).delete(caller.id)).to.equal(true);
    const before = (await e2e.auditEvents('token.refused', 0)).length;
    const res = await e2e.req(`${API}/user/token/${inPath.plainTextToken}`, { method: 'DELETE', bearer: caller.plainTextToken });
    expect(res.status, res.text).to.equal(401);
    const audit = JSON.stringify(await e2e.auditEvents('token.refused', before + 1));
    expect(audit).to.contain('REVOKED_DURING_REQUEST:DELETED');
    expect(audit).to.contain(`/user/token/apitok_${publicId}_…`);
    // The same form as the filter's refusals: the path inside the context path, never with it.
    expect(audit).to.contain(`"${API}/user/token/apitok_${publicId}_…"`);
    expect(audit).not.to.contain(`/jira${API}/`);
    expect(audit.includes(inPath.plainTextToken.slice(20)), 'audit').to.equal(false);
    expect(e2e.logs.join('\n').includes(inPath.plainTextToken.slice(20)), 'log').to.equal(false);
  });
});
