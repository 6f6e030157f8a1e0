import { expect } from 'chai';
import type { Request } from 'express';
import { endCarriedSessions, liveSessionOf } from '../../../host-sim/auth/liveSession';
import type { HostRuntime } from '../../../host-sim/impl/HostRuntime';

const USER = { key: 'u1', name: 'u1', displayName: 'U', email: '', active: true, locale: 'en', timeZone: 'UTC' };

/** A runtime whose sessions are `live` (id → user key), counting the reads and the warnings. */
function runtimeOf(live: Record<string, string>) {
  const counts = { reads: 0, warnings: 0 };
  const runtime = {
    sessions: {
      get: async (id: string) => { counts.reads++; return live[id] ? { userKey: live[id], xsrfToken: `x-${id}` } : null; },
      destroy: async (id: string) => { delete live[id]; },
      destroyMany: async (ids: readonly string[]) => { for (const id of ids) delete live[id]; },
    },
    users: { getUserByKey: async (key: string) => (key === USER.key ? USER : null) },
    logger: { warn: () => { counts.warnings++; } },
  } as unknown as Pick<HostRuntime, 'sessions' | 'users' | 'logger'>;
  return { runtime, counts };
}

function requestWith(cookie: string): Request {
  return { headers: { cookie }, res: { locals: {} } } as unknown as Request;
}

describe('liveSessionOf', () => {
  it('should read a request\'s session cookies once, however many parts ask (the login filter, then the websudo page)', async () => {
    const { runtime, counts } = runtimeOf({ s1: 'u1' });
    const req = requestWith('JSESSIONID=other; JSESSIONID=s1');
    expect((await liveSessionOf(runtime, req))?.sessionId).to.equal('s1');
    expect((await liveSessionOf(runtime, req))?.sessionId).to.equal('s1');
    expect(counts.reads).to.equal(2);
  });

  it('should keep "no session" as an answer too, and log a planted cookie once', async () => {
    const { runtime, counts } = runtimeOf({ s1: 'u1', s2: 'u1' });
    const req = requestWith('JSESSIONID=s1; JSESSIONID=s2');
    expect(await liveSessionOf(runtime, req)).to.equal(null);
    expect(await liveSessionOf(runtime, req)).to.equal(null);
    expect(counts).to.deep.equal({ reads: 2, warnings: 1 });
  });

  it('should read again after a login or logout ended the sessions the request carried', async () => {
    const { runtime, counts } = runtimeOf({ s1: 'u1' });
    const req = requestWith('JSESSIONID=s1');
    expect(await liveSessionOf(runtime, req)).to.not.equal(null);
    await endCarriedSessions({ sessions: runtime.sessions, webSudo: { drop: () => undefined } }, req);
    expect(await liveSessionOf(runtime, req)).to.equal(null);
    expect(counts.reads).to.equal(2);
  });
});
