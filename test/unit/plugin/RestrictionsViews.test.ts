import { expect } from 'chai';
import { EngineRestrictionSupport } from '../../../plugin/restrictions/EngineRestrictionSupport';
import { RestrictionsViews } from '../../../plugin/rest/RestrictionsViews';

function stored(text: string, ips?: string[]): string {
  const parsed = new EngineRestrictionSupport().parse(text, ips);
  if (!parsed.ok || parsed.json === null) throw new Error('expected restrictions');
  return parsed.json;
}

describe('RestrictionsViews', () => {
  it('should show none, the stored form with its text, or unreadable', () => {
    const views = new RestrictionsViews();
    expect(views.of(null)).to.deep.equal({ restrictions: null, restrictionsText: null });
    const json = stored('[GET].*/rest/api/2/myself', ['10.0.0.0/8']);
    const view = views.of(json);
    expect(view.restrictions).to.deep.equal(JSON.parse(json));
    expect(view.restrictionsText).to.equal('[GET].*/rest/api/2/myself\n[IpAllowlist::10.0.0.0/8]');
    expect(view).to.not.have.property('restrictionsUnreadable');
    for (const odd of ['{"rules":[', '{"rules":[],"ipAllowlist":[]}', '{"rules":[{"urlPattern":".*"}],"ipAllowlist":[],"countries":["DE"]}']) {
      expect(views.of(odd), odd).to.deep.equal({ restrictions: null, restrictionsText: null, restrictionsUnreadable: true });
    }
  });

  it('should read a stored value once and share one frozen view of it', () => {
    const views = new RestrictionsViews();
    const json = stored('[GET].*/rest/api/2/(myself|serverInfo)');
    const first = views.of(json);
    expect(views.of(json)).to.equal(first);
    expect(Object.isFrozen(first)).to.equal(true);
    expect(Object.isFrozen((first.restrictions as { rules: object[] }).rules[0])).to.equal(true);
  });

  it('should keep within its memory budget, dropping the least recently used views', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((x) => stored(`[GET].*/${x}`));
    const views = new RestrictionsViews(2 * (6 * a.length + 256));
    const viewA = views.of(a);
    const viewB = views.of(b);
    expect(views.of(a)).to.equal(viewA);
    views.of(c);
    expect(views.of(a), 'a was used after b: kept').to.equal(viewA);
    const again = views.of(b);
    expect(again, 'b dropped for c, read again').to.not.equal(viewB);
    expect(again).to.deep.equal(viewB);
  });
});
