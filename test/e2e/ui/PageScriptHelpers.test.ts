import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { expect } from 'chai';

interface Clock {
  zonedToEpoch(date: string, time?: string): number;
  isoWithOffset(ms: number): string;
  isoDate(ms: number): string;
}
interface Ata {
  clock(locale: string, timeZone: string): Clock;
  translator(strings: Record<string, string>): (key: string, ...args: unknown[]) => string;
  addMonths(ms: number, months: number): number;
  restrictionLines(token: unknown): string[];
  snippets(t: (k: string) => string, config: unknown, username: string, token: string): Array<{ id: string; code: string }>;
}

/** Loads static/common.js into a sandbox the way a browser would (it only needs `window`). */
function loadAta(): Ata {
  const sandbox: Record<string, unknown> = { Intl, Date, Math, JSON, Number, String, Object, Array, RegExp, Promise };
  sandbox.window = sandbox;
  vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(path.resolve(__dirname, '../../../plugin/ui/static/common.js'), 'utf8'), sandbox);
  return sandbox.ATA as Ata;
}

describe('PageScriptHelpers', () => {
  const ata = loadAta();

  it('should turn a wall-clock time in the user zone into epoch ms, across daylight saving changes', () => {
    const berlin = ata.clock('en', 'Europe/Berlin');
    expect(berlin.zonedToEpoch('2027-01-15', '23:59:59.999')).to.equal(Date.parse('2027-01-15T23:59:59.999+01:00'));
    expect(berlin.zonedToEpoch('2027-07-15', '23:59:59.999')).to.equal(Date.parse('2027-07-15T23:59:59.999+02:00'));
    expect(berlin.zonedToEpoch('2027-03-28', '00:00')).to.equal(Date.parse('2027-03-28T00:00:00+01:00'));
    const ny = ata.clock('en', 'America/New_York');
    expect(ny.zonedToEpoch('2027-11-07', '23:59')).to.equal(Date.parse('2027-11-07T23:59:00-05:00'));
    expect(Number.isNaN(ny.zonedToEpoch('15.01.2027'))).to.equal(true);
  });

  it('should write ISO 8601 with the zone offset that the API accepts', () => {
    const kolkata = ata.clock('en', 'Asia/Kolkata');
    const ms = Date.parse('2027-02-01T23:59:59.999+05:30');
    expect(kolkata.isoWithOffset(ms)).to.equal('2027-02-01T23:59:59.999+05:30');
    expect(ata.clock('en', 'America/St_Johns').isoWithOffset(Date.parse('2027-01-10T08:00:00.000-03:30'))).to.equal('2027-01-10T08:00:00.000-03:30');
    expect(kolkata.isoDate(Date.parse('2027-02-01T20:00:00Z'))).to.equal('2027-02-02');
  });

  it('should fall back to UTC for an unknown time zone', () => {
    expect(ata.clock('en', 'Mars/Olympus').isoWithOffset(Date.parse('2027-01-01T00:00:00Z'))).to.equal('2027-01-01T00:00:00.000+00:00');
  });

  it('should format messages as MessageFormat does', () => {
    const t = ata.translator({ a: 'Deleted {0} tokens of {1}.', b: "Every user''s token", c: "'{0}' stays" });
    expect(t('a', 3, 'Bob')).to.equal('Deleted 3 tokens of Bob.');
    expect(t('b')).to.equal("Every user's token");
    expect(t('c', 'x')).to.equal('{0} stays');
    expect(t('missing.key')).to.equal('missing.key');
  });

  it('should add calendar months, clamped to the month end', () => {
    expect(new Date(ata.addMonths(Date.parse('2027-01-31T10:00:00Z'), 1)).toISOString()).to.equal('2027-02-28T10:00:00.000Z');
  });

  it('should write structured restrictions in the one-rule-per-line text form', () => {
    const lines = ata.restrictionLines({
      restrictions: {
        rules: [
          { method: 'GET', urlPattern: '.*/rest/api/2/search', queryParams: [{ name: 'jql', pattern: 'project = JRA.*' }] },
          { urlPattern: '.*/rest/api/2/filter', jsonBody: [{ node: 'editable', pattern: 'false' }], headers: [{ name: 'X-A', pattern: 'b' }] },
        ],
        ipAllowlist: ['10.0.0.0/8'],
      },
    });
    expect(lines).to.deep.equal([
      '[GET].*/rest/api/2/search[QueryParam::jql==project = JRA.*]',
      '.*/rest/api/2/filter[JsonData::editable==false][Header::X-A==b]',
    ]);
  });

  it('should offer snippets only for the allowed schemes, with the user name shell-quoted', () => {
    const config = (schemes: string) => ({ product: 'jira', baseUrl: 'http://h/jira', access: { authSchemes: schemes } });
    const t = (k: string) => k;
    expect(ata.snippets(t, config('bearer'), 'o\'hara', 'tok_1').map((s) => s.id)).to.deep.equal(['curl-bearer', 'js-bearer']);
    const basic = ata.snippets(t, config('basic'), 'o\'hara', 'tok_1');
    expect(basic.map((s) => s.id)).to.deep.equal(['curl-basic', 'js-basic']);
    expect(basic[0].code).to.equal("curl -u 'o'\\''hara:tok_1' 'http://h/jira/rest/api/2/myself'");
    expect(basic[1].code).to.contain("'o\\'hara:tok_1'");
  });
});
