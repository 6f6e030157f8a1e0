import { expect } from 'chai';
import { compileRestrictions, RestrictionCompiler, TokenRestrictions } from '../../../plugin/restrictions';
import { outcome, parsed, request } from './fixtures';

describe('RestrictionCompiler', () => {
  const a = parsed('[GET].*/a');
  const b = parsed('[GET].*/b');

  it('should compile a key once and return the cached result afterwards', () => {
    const compiler = new RestrictionCompiler();
    const first = compiler.compile('1:1', a);
    expect(compiler.compile('1:1', b)).to.equal(first);
    expect(outcome(first, request({ path: '/a' }))).to.equal('ALLOWED');
  });

  it('should compile again under a new key', () => {
    const compiler = new RestrictionCompiler();
    compiler.compile('1:1', a);
    expect(outcome(compiler.compile('1:2', b), request({ path: '/b' }))).to.equal('ALLOWED');
  });

  it('should keep at most maxEntries and drop the least recently used', () => {
    const compiler = new RestrictionCompiler({ maxEntries: 2 });
    const first = compiler.compile('k1', a);
    compiler.compile('k2', a);
    compiler.compile('k1', a);
    compiler.compile('k3', a);
    expect(compiler.size).to.equal(2);
    expect(compiler.compile('k1', b)).to.equal(first);
    expect(outcome(compiler.compile('k2', b), request({ path: '/b' }))).to.equal('ALLOWED');
  });

  it('should forget invalidated and cleared keys', () => {
    const compiler = new RestrictionCompiler();
    compiler.compile('k', a);
    compiler.invalidate('k');
    expect(outcome(compiler.compile('k', b), request({ path: '/b' }))).to.equal('ALLOWED');
    compiler.clear();
    expect(compiler.size).to.equal(0);
  });

  it('should pass its options on to compilation', () => {
    const compiler = new RestrictionCompiler({ contextPath: '/jira' });
    expect(outcome(compiler.compile('k', parsed('/jira/rest/.*')), request({ path: '/rest/x' }))).to.equal('ALLOWED');
  });
});

describe('compileRestrictions (stored value no longer valid)', () => {
  it('should refuse every request with RESTRICTIONS_INVALID instead of throwing', () => {
    const broken = { rules: [{ urlPattern: '(a)\\1' }], ipAllowlist: [] } as TokenRestrictions;
    const c = compileRestrictions(broken);
    expect(c.unrestricted).to.equal(false);
    expect(outcome(c, request())).to.equal('RESTRICTIONS_INVALID');
  });

  it('should refuse a stored value of the wrong shape with RESTRICTIONS_INVALID', () => {
    expect(outcome(compileRestrictions(42 as unknown as TokenRestrictions), request())).to.equal('RESTRICTIONS_INVALID');
    expect(outcome(compileRestrictions({ rules: [], ipAllowlist: ['nope'] }), request())).to.equal('RESTRICTIONS_INVALID');
  });
});
