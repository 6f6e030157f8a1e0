import { expect } from 'chai';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { basic, bearer, type PluginApp } from './support/pluginApp';
import { createToken, startWithRoles } from './support/fixtures';

/** A bare express request/response pair, as the host's router would hand them to the filter. */
function bareExchange(authorization: string): { req: Request; res: Response } {
  const app = express();
  const req = Object.create(app.request) as Request;
  Object.assign(req, {
    app, method: 'GET', url: '/jira/rest/api/2/myself', originalUrl: '/jira/rest/api/2/myself', baseUrl: '',
    headers: { host: '127.0.0.1', authorization }, principal: undefined, clientIp: '127.0.0.1', socket: { remoteAddress: '127.0.0.1' },
  });
  const res = Object.create(app.response) as Response;
  Object.assign(res, { req, locals: {}, once() { return res; }, on() { return res; } });
  return { req, res };
}

describe('TokenAuthFilter hot path', () => {
  let app: PluginApp;
  beforeEach(async () => { app = (await startWithRoles()).app; });
  afterEach(async () => { await app.close(); });

  it('should decide a cached token request before the middleware returns', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
    const filter = app.plugin.modules['token-auth-filter'] as RequestHandler;
    for (const auth of [bearer(plainTextToken), basic('alice', plainTextToken)]) {
      const { req, res } = bareExchange(auth);
      let nextCalls = 0;
      filter(req, res, (err?: unknown) => { expect(err).to.equal(undefined); nextCalls++; });
      expect(nextCalls).to.equal(1);
      expect(req.principal?.method).to.equal('api-token');
      expect(req.principal?.user.name).to.equal('alice');
    }
  });

  describe('when nothing is cached on this node', () => {
    beforeEach(() => { app.host.users.cached = false; app.host.login.cached = false; });

    it('should authenticate Bearer and Basic through the asynchronous lookups', async () => {
      const { plainTextToken } = await createToken(app, 'alice');
      for (const auth of [bearer(plainTextToken), basic('alice', plainTextToken)]) {
        const res = await app.request('GET', '/rest/api/2/myself', { auth });
        expect(res.status).to.equal(200);
        expect((res.body as { name: string }).name).to.equal('alice');
      }
    });

    it('should refuse the token of an inactive user', async () => {
      const { plainTextToken } = await createToken(app, 'alice');
      app.host.users.setActive('alice', false);
      expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(401);
    });

    it('should admit a user in CAPTCHA state without asking the login manager', async () => {
      const { plainTextToken } = await createToken(app, 'alice');
      for (let i = 0; i < 3; i++) await app.host.login.recordFailedLogin('alice');
      const res = await app.request('GET', '/rest/api/2/myself', { auth: basic('alice', plainTextToken) });
      expect(res.status).to.equal(200);
      expect(res.headers.get('x-seraph-loginreason')).to.equal(null);
    });

    it('should answer 503 when the owner cannot be read', async () => {
      const { plainTextToken } = await createToken(app, 'alice');
      app.host.users.available = false;
      const res = await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) });
      expect(res.status).to.equal(503);
      expect(res.body).to.have.keys(['errorMessage']);
    });
  });
});
