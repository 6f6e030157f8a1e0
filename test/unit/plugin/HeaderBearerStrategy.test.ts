import { expect } from 'chai';
import type { Request } from 'express';
import { readAuthorization } from '../../../host-sim/spi';
import { HeaderBearerStrategy } from '../../../plugin/filter/HeaderBearerStrategy';
import { StrategyRunner, type StrategyOutcome } from '../../../plugin/filter/StrategyRunner';

function outcomeOf(runner: StrategyRunner, authorization: string | undefined, url = '/rest/api/2/myself'): StrategyOutcome {
  const req = { headers: authorization === undefined ? {} : { authorization }, url } as unknown as Request;
  let outcome: StrategyOutcome | undefined;
  const header = readAuthorization(authorization);
  runner.run(req, header ?? { scheme: 'other' }, (o) => { outcome = o; });
  if (!outcome) throw new Error('the strategy did not decide synchronously');
  return outcome;
}

describe('HeaderBearerStrategy', () => {
  const seen: string[] = [];
  const runner = new StrategyRunner(new HeaderBearerStrategy('Jira', (_req, token, done) => {
    seen.push(token);
    if (token === 'boom') return done(new Error('lookup failed'));
    done(null, token === 'nobody' ? false : { token });
  }));
  beforeEach(() => { seen.length = 0; });

  it('should hand the header token to the verify callback and report success', () => {
    expect(outcomeOf(runner, 'Bearer abc')).to.deep.equal({ kind: 'success', user: { token: 'abc' } });
    expect(outcomeOf(runner, 'bearer abc').kind).to.equal('success');
    expect(seen).to.deep.equal(['abc', 'abc']);
  });

  it('should fail without calling verify for a missing, empty or non-Bearer header', () => {
    for (const header of [undefined, 'Bearer ', 'Basic abc']) expect(outcomeOf(runner, header).kind, String(header)).to.equal('fail');
    expect(seen).to.deep.equal([]);
  });

  it('should fail a header that is not Bearer, spaces and one token68 (host-sim/spi/authorization.ts)', () => {
    for (const header of ['Bearer a b', 'Bearer', 'Bearer\tabc', 'Bearer\u00a0abc', 'Bearer a!b']) expect(outcomeOf(runner, header).kind, header).to.equal('fail');
    expect(seen).to.deep.equal([]);
    expect(outcomeOf(runner, 'Bearer  abc').kind, 'RFC 6750: one or more spaces').to.equal('success');
  });

  it('should fail a request that also carries access_token in its URL (two methods at once)', () => {
    expect(outcomeOf(runner, 'Bearer abc', '/rest/api/2/myself?access_token=abc').kind).to.equal('fail');
    expect(outcomeOf(runner, 'Bearer abc', '/rest/api/2/myself?a=1&access_token=abc').kind).to.equal('fail');
    expect(outcomeOf(runner, 'Bearer abc', '/rest/api/2/myself?my_access_token=abc').kind).to.equal('success');
  });

  it('should report a verify error as error and a refused user as fail', () => {
    expect(outcomeOf(runner, 'Bearer boom').kind).to.equal('error');
    expect(outcomeOf(runner, 'Bearer nobody').kind).to.equal('fail');
  });
});
