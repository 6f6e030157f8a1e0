import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import type { NextFunction, Request, Response } from 'express';
import { accessLog, loggablePath } from '../../../host-sim/web/accessLog';
import { createCapturingLogger } from '../../support/spi-fakes/CapturingLogger';

function exchange(principal?: Request['principal']): { req: Request; res: Response & EventEmitter } {
  const req = { method: 'GET', originalUrl: '/jira/rest/api/2/myself?token=s3cret', principal } as unknown as Request;
  const res = Object.assign(new EventEmitter(), { req, locals: { requestId: 'node1-x-1' }, statusCode: 200, writableFinished: true });
  return { req, res: res as unknown as Response & EventEmitter };
}

function run(middleware: ReturnType<typeof accessLog>, req: Request, res: Response): void {
  let called = 0;
  middleware(req, res, (() => { called += 1; }) as NextFunction);
  expect(called).to.equal(1);
}

describe('accessLog', () => {
  it('should keep only the path of a request target', () => {
    expect(loggablePath('/jira/rest/api/2/myself?os_password=x')).to.equal('/jira/rest/api/2/myself');
    expect(loggablePath('/jira/secure/Dashboard.jspa;jsessionid=ABC?x=1')).to.equal('/jira/secure/Dashboard.jspa');
    expect(loggablePath('/jira/a#frag')).to.equal('/jira/a');
    expect(loggablePath(`/jira/${'x'.repeat(1000)}`)).to.have.length(300);
  });

  it('should replace each path segment holding a claimed credential prefix, in any case or encoding', () => {
    const token = 'apitok_hQumwJayDZNN_EHh2HuD90Y7iSFQ3blpR14GzVvRd1BOd3X';
    const prefixes = ['apitok_'];
    for (const segment of [token, token.toUpperCase(), `x-${token}-y`, token.replace('apitok_', '%61pitok%5F'), token.replace('_', '%255f'),
      token.replace('_', '%5F%E0%A4%A')]) {
      const logged = loggablePath(`/jira/rest/api/2/issue/${segment}/comment?x=1`, prefixes);
      expect(logged, segment).to.equal('/jira/rest/api/2/issue/apitok_…/comment');
    }
    // Cut after the redaction: a long path cannot push the marker out and leave the secret's start.
    expect(loggablePath(`/jira/${'x'.repeat(290)}/${token}`, prefixes)).to.not.contain('hQumwJ');
    expect(loggablePath('/jira/rest/api/2/issue/APITOK-1', prefixes)).to.equal('/jira/rest/api/2/issue/APITOK-1');
    expect(loggablePath(`/jira/${token}`)).to.equal(`/jira/${token}`); // no plugin claims a prefix
  });

  it('should do nothing per request but compare the level when debug is off', () => {
    const { logger, lines } = createCapturingLogger();
    logger.level = 'info';
    const middleware = accessLog(logger);
    const { req, res } = exchange();
    run(middleware, req, res);
    expect(res.listenerCount('close')).to.equal(0);
    expect(res.locals).to.deep.equal({ requestId: 'node1-x-1' });
    res.emit('close');
    expect(lines).to.deep.equal([]);
  });

  it('should log one line when the response closes at debug, with the token id of a token request', () => {
    const { logger, lines } = createCapturingLogger();
    const middleware = accessLog(logger);
    const { req, res } = exchange({ user: { name: 'alice' }, method: 'api-token', credentialId: '42' } as unknown as Request['principal']);
    run(middleware, req, res);
    expect(res.listenerCount('close')).to.equal(1);
    res.emit('close');
    res.emit('close');
    expect(lines).to.have.length(1);
    const fields = JSON.parse(lines[0].slice('debug request '.length)) as Record<string, unknown>;
    expect(fields).to.include({ module: 'AccessLog', method: 'GET', path: '/jira/rest/api/2/myself', status: 200, user: 'alice', tokenId: '42', requestId: 'node1-x-1', completed: true });
    expect(fields.durationMs).to.be.a('number');
    expect(lines[0]).not.to.contain('s3cret');
  });

  it('should follow a level changed at run time and name no token for a password login', () => {
    const { logger, lines } = createCapturingLogger();
    logger.level = 'warn';
    const middleware = accessLog(logger);
    logger.level = 'debug';
    const { req, res } = exchange({ user: { name: 'bob' }, method: 'password' } as unknown as Request['principal']);
    run(middleware, req, res);
    res.emit('close');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.contain('"user":"bob"').and.not.contain('tokenId');
  });
});
