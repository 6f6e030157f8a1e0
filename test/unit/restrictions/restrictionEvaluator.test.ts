import { expect } from 'chai';
import { CachingRestrictionEvaluator, compiledEntryBytes } from '../../../plugin/restrictions/CachingRestrictionEvaluator';
import { EngineRestrictionSupport } from '../../../plugin/restrictions/EngineRestrictionSupport';
import {
  NoRestrictionSupport,
  type CompiledTokenRestrictions,
  type RestrictionParseOutcome,
  type RestrictionRequest,
  type RestrictionSupport,
} from '../../../plugin/restrictions/RestrictionSupport';
import type { TokenRestrictions } from '../../../plugin/restrictions/types';
import { largestRuleSet } from '../../support/restrictionSets';

const myself: RestrictionRequest = { method: 'GET', path: '/rest/api/2/myself', query: {}, headers: {}, ip: '127.0.0.1' };

/** The engine, counting its compiles. */
class CountingSupport implements RestrictionSupport {
  compiles = 0;
  constructor(private readonly inner: RestrictionSupport = new EngineRestrictionSupport()) {}
  parse(restrictions: unknown, ipAllowlist: unknown): RestrictionParseOutcome {
    return this.inner.parse(restrictions, ipAllowlist);
  }
  readStored(json: string): TokenRestrictions | undefined {
    return this.inner.readStored(json);
  }
  compile(json: string): CompiledTokenRestrictions | Promise<CompiledTokenRestrictions> {
    this.compiles++;
    return this.inner.compile(json);
  }
}

function jsonOf(restrictions: unknown): string {
  const parsed = new EngineRestrictionSupport().parse(restrictions, undefined);
  if (!parsed.ok || parsed.json === null) throw new Error('expected restrictions');
  return parsed.json;
}

describe('CachingRestrictionEvaluator', () => {
  it('should answer null for no restrictions and undefined for a value not compiled yet, compiling nothing', () => {
    const support = new CountingSupport();
    const evaluator = new CachingRestrictionEvaluator(support);
    expect(evaluator.peek(null)).to.equal(null);
    expect(evaluator.peek(jsonOf('[GET].*/rest/api/2/myself'))).to.equal(undefined);
    expect(support.compiles).to.equal(0);
  });

  it('should have the compiled form ready after a successful parse (the saving node compiles nothing on first use)', () => {
    const support = new CountingSupport();
    const evaluator = new CachingRestrictionEvaluator(support);
    const outcome = evaluator.parse('[GET].*/rest/api/2/myself', ['127.0.0.1']);
    if (!outcome.ok || outcome.json === null) expect.fail('parse failed');
    expect(evaluator.peek(outcome.json)?.evaluate(myself)).to.deep.equal({ allowed: true });
    expect(evaluator.peek(outcome.json)?.evaluate({ ...myself, ip: '10.1.1.1' })).to.deep.equal({ allowed: false, reason: 'IP_NOT_ALLOWED' });
    expect(support.compiles).to.equal(0);
    expect(evaluator.parse('[GET].*(', undefined).ok).to.equal(false);
    expect(evaluator.size).to.equal(1);
  });

  it('should compile once and then answer from peek', async () => {
    const support = new CountingSupport();
    const evaluator = new CachingRestrictionEvaluator(support);
    const json = jsonOf('[GET].*/rest/api/2/issue/TEST-1');
    const compiled = await evaluator.compile(json);
    expect(compiled.evaluate({ ...myself, path: '/rest/api/2/issue/TEST-1' })).to.deep.equal({ allowed: true });
    expect(compiled.evaluate(myself)).to.deep.equal({ allowed: false, reason: 'NO_RULE_MATCHED' });
    expect(evaluator.peek(json)).to.equal(compiled);
    expect(await evaluator.compile(json)).to.equal(compiled);
    expect(support.compiles).to.equal(1);
  });

  it('should share one compile between concurrent calls for the same value', async () => {
    const support = new CountingSupport();
    const evaluator = new CachingRestrictionEvaluator(support);
    const json = jsonOf({ rules: largestRuleSet('shared').rules });
    const all = await Promise.all([evaluator.compile(json), evaluator.compile(json), evaluator.compile(json)]);
    expect(support.compiles).to.equal(1);
    expect(all[1]).to.equal(all[0]);
    expect(all[2]).to.equal(all[0]);
  });

  it('should give the event loop turns while it compiles a set of many patterns', async () => {
    const evaluator = new CachingRestrictionEvaluator(new EngineRestrictionSupport());
    const { rules, patterns } = largestRuleSet('turns');
    const json = jsonOf({ rules });
    const events: string[] = [];
    setImmediate(() => events.push('immediate scheduled before'));
    setTimeout(() => events.push('timer scheduled before'), 0);
    let turns = 0;
    let done = false;
    const tick = () => { if (!done) { turns++; setImmediate(tick); } };
    setImmediate(tick);
    const compiled = await evaluator.compile(json).then((c) => { events.push('compiled'); done = true; return c; });
    expect(events).to.have.length(3);
    expect(events.slice(0, 2)).to.have.members(['immediate scheduled before', 'timer scheduled before']);
    expect(events[2]).to.equal('compiled');
    expect(turns).to.be.at.least(patterns - 1);
    expect(compiled.evaluate(myself)).to.deep.equal({ allowed: true });
  });

  it('should never reject: a value that does not parse or compile refuses everything', async () => {
    const evaluator = new CachingRestrictionEvaluator(new EngineRestrictionSupport());
    for (const json of ['{not json', '{"rules":[{"urlPattern":"(a"}],"ipAllowlist":[]}', '{"rules":5}', '"text"', 'null']) {
      expect((await evaluator.compile(json)).evaluate(myself), json).to.deep.equal({ allowed: false, reason: 'RESTRICTIONS_INVALID' });
    }
    const throwing = new CachingRestrictionEvaluator({ parse: () => ({ ok: true, json: null }), readStored: () => undefined, compile: () => { throw new Error('boom'); } });
    expect((await throwing.compile('{}')).evaluate(myself)).to.deep.equal({ allowed: false, reason: 'RESTRICTIONS_INVALID' });
    const rejecting = new CachingRestrictionEvaluator({ parse: () => ({ ok: true, json: null }), readStored: () => undefined, compile: () => Promise.reject(new Error('boom')) });
    expect((await rejecting.compile('{}')).evaluate(myself)).to.deep.equal({ allowed: false, reason: 'RESTRICTIONS_INVALID' });
  });

  it('should fail closed without an engine', async () => {
    const evaluator = new CachingRestrictionEvaluator(new NoRestrictionSupport());
    expect(evaluator.parse(null, []).ok).to.equal(true);
    expect(evaluator.parse('.*', undefined).ok).to.equal(false);
    expect((await evaluator.compile('{"rules":[],"ipAllowlist":["::1"]}')).evaluate(myself)).to.deep.equal({ allowed: false, reason: 'RESTRICTIONS_UNAVAILABLE' });
  });

  it('should keep at most maxEntries and drop the least recently used one, not all', async () => {
    const support = new CountingSupport();
    const evaluator = new CachingRestrictionEvaluator(support, { maxEntries: 2 });
    const [a, b, c] = ['a', 'b', 'c'].map((x) => jsonOf(`[GET].*/${x}`));
    await evaluator.compile(a);
    await evaluator.compile(b);
    expect(evaluator.peek(a)).to.not.equal(undefined);
    await evaluator.compile(c);
    expect(evaluator.size).to.equal(2);
    expect(evaluator.peek(b)).to.equal(undefined);
    expect(evaluator.peek(a)).to.not.equal(undefined);
    expect(evaluator.peek(c)).to.not.equal(undefined);
    evaluator.parse('[GET].*/d', undefined);
    expect(evaluator.size).to.equal(2);
    expect(evaluator.peek(a)).to.equal(undefined);
    expect(support.compiles).to.equal(3);
  });

  it('should keep within maxBytes, dropping the least recently used sets, and count a set saved again once', async () => {
    const support = new CountingSupport();
    const [a, b, c] = ['a', 'b', 'c'].map((x) => jsonOf(`[GET].*/${x}`));
    const evaluator = new CachingRestrictionEvaluator(support, { maxBytes: compiledEntryBytes(a) * 2 });
    await evaluator.compile(a);
    await evaluator.compile(b);
    evaluator.parse('[GET].*/b', undefined);
    expect(evaluator.estimatedBytes).to.equal(compiledEntryBytes(a) + compiledEntryBytes(b));
    expect(evaluator.peek(a)).to.not.equal(undefined);
    await evaluator.compile(c);
    expect(evaluator.size).to.equal(2);
    expect(evaluator.peek(b)).to.equal(undefined);
    expect(evaluator.estimatedBytes).to.equal(compiledEntryBytes(a) + compiledEntryBytes(c));
    const bulky = jsonOf(`[GET].*/${'x'.repeat(500)}`);
    await evaluator.compile(bulky);
    expect(evaluator.size, 'the newest set stays, whatever its size').to.equal(1);
    expect(evaluator.peek(bulky)).to.not.equal(undefined);
  });
});
