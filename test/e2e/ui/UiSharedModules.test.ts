// The modules the page scripts share with the server, and the bundle that carries them: the
// browser runs the server's own snippets, restriction text, validity maths and message
// formatting (no second copy in the UI), and the helpers of the UI itself.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { buildClientBundle } from '../../../plugin/ui/ClientBundle';
import { UserClock } from '../../../plugin/ui/client/time';
import { expiryState } from '../../../plugin/ui/shared/expiry';
import { formatMessage, translator } from '../../../plugin/ui/shared/messageFormat';
import { formatRelative, relativeDistance } from '../../../plugin/ui/shared/relativeTime';
import { isNameTaken, uniqueName } from '../../../plugin/ui/shared/tokenNames';

const DAY = 864e5;

describe('UI shared modules', () => {
  describe('bundle', () => {
    it('should bundle each page script with the server\'s snippets, restriction text, validity maths and message formatting', async function () {
      this.timeout(60000);
      const bundle = await buildClientBundle();
      expect([...bundle.files.keys()].filter((f) => f.endsWith('.js')).sort()).to.deep.equal(['admin.js', 'profile.js', 'settings.js']);
      for (const entry of ['profile', 'admin'] as const) {
        expect(bundle.inputs[entry]).to.include.members([
          'plugin/snippets/CodeSnippets.ts', 'plugin/restrictions/textFormat.ts', 'plugin/service/TokenValidity.ts', 'plugin/ui/shared/messageFormat.ts',
        ]);
      }
      expect(bundle.inputs.settings).to.include('plugin/ui/shared/messageFormat.ts');
      const profile = bundle.files.get('profile.js')!.contents.toString('utf8');
      expect(profile).to.contain('/rest/api/user/current').and.not.contain('window.ATA');
    });

    it('should leave no hand-written script in the UI folder: only the bundle is served', () => {
      const staticDir = path.resolve(__dirname, '../../../plugin/ui/static');
      expect(fs.readdirSync(staticDir).filter((f) => f.endsWith('.js'))).to.deep.equal([]);
    });
  });

  describe('messageFormat', () => {
    it('should format Java-style patterns as the host does, and plurals by language', () => {
      expect(formatMessage('en', 'Deleted {0} tokens of {1}.', [3, 'Bob'])).to.equal('Deleted 3 tokens of Bob.');
      expect(formatMessage('en', "Every user''s token")).to.equal("Every user's token");
      expect(formatMessage('en', "'{0}' stays", ['x'])).to.equal('{0} stays');
      const uses = '{0, plural, one {# use} other {# uses}}';
      expect([1, 2].map((n) => formatMessage('en', uses, [n]))).to.deep.equal(['1 use', '2 uses']);
      expect(formatMessage('de', '{0, plural, one {# Aufruf} other {# Aufrufe}}', [1])).to.equal('1 Aufruf');
      expect(formatMessage('en', 'broken {', [1])).to.equal('broken {');
      const t = translator('en', { a: 'A {0}' });
      expect(t('a', 'x')).to.equal('A x');
      expect(t('missing.key')).to.equal('missing.key');
    });
  });

  describe('relativeTime', () => {
    const now = Date.parse('2027-03-10T12:00:00Z');
    it('should pick the unit that reads naturally, in the user\'s language', () => {
      expect(relativeDistance(now - 30_000, now)).to.deep.equal({ value: 0, unit: 'second' });
      expect(formatRelative('en', now + 2_000, now)).to.equal('now');
      expect(formatRelative('de', now - 2_000, now)).to.equal('jetzt');
      expect(formatRelative('en', now - 50_000, now)).to.equal('1 minute ago');
      expect(relativeDistance(now + 3 * DAY, now)).to.deep.equal({ value: 3, unit: 'day' });
      expect(relativeDistance(now - 2 * 3600_000, now)).to.deep.equal({ value: -2, unit: 'hour' });
      expect(relativeDistance(now + 90 * DAY, now)).to.deep.equal({ value: 3, unit: 'month' });
      expect(formatRelative('en', now + 3 * DAY, now)).to.equal('in 3 days');
      expect(formatRelative('en', now - 2 * 3600_000, now)).to.equal('2 hours ago');
      expect(formatRelative('de', now - 2 * 3600_000, now)).to.equal('vor 2 Stunden');
      expect(formatRelative('de', now + DAY, now)).to.equal('morgen');
    });
  });

  describe('expiryState', () => {
    const now = 1_000_000_000_000;
    it('should follow the largest expiryWarningDays mark', () => {
      expect(expiryState(now - 1, now, [7, 1])).to.equal('expired');
      expect(expiryState(now + 5 * DAY, now, [7, 1])).to.equal('soon');
      expect(expiryState(now + 5 * DAY, now, [3, 1])).to.equal('valid');
      expect(expiryState(now + 5 * DAY, now, [])).to.equal('valid');
      expect(expiryState(now + 14 * DAY, now, [1, 14])).to.equal('soon');
    });
  });

  describe('tokenNames', () => {
    it('should offer the first free name, ignoring case and blanks', () => {
      expect(uniqueName('API Token from Mar 10, 2027', [])).to.equal('API Token from Mar 10, 2027');
      expect(uniqueName('CI', ['ci ', 'CI (2)'])).to.equal('CI (3)');
      expect(isNameTaken(' Nightly ', ['nightly'])).to.equal(true);
    });
  });

  describe('UserClock', () => {
    it('should turn a wall-clock time in the user zone into epoch ms, across daylight saving changes', () => {
      const berlin = new UserClock('en', 'Europe/Berlin');
      expect(berlin.zonedToEpoch('2027-01-15', '23:59:59.999')).to.equal(Date.parse('2027-01-15T23:59:59.999+01:00'));
      expect(berlin.zonedToEpoch('2027-07-15', '23:59:59.999')).to.equal(Date.parse('2027-07-15T23:59:59.999+02:00'));
      expect(berlin.zonedToEpoch('2027-03-28', '00:00')).to.equal(Date.parse('2027-03-28T00:00:00+01:00'));
      const ny = new UserClock('en', 'America/New_York');
      expect(ny.zonedToEpoch('2027-11-07', '23:59')).to.equal(Date.parse('2027-11-07T23:59:00-05:00'));
      expect(Number.isNaN(ny.zonedToEpoch('15.01.2027'))).to.equal(true);
      expect(Number.isNaN(ny.zonedToEpoch('2027-02-30'))).to.equal(true);
    });

    it('should write ISO 8601 with the zone offset that the API accepts, and fall back to UTC', () => {
      const kolkata = new UserClock('en', 'Asia/Kolkata');
      expect(kolkata.isoWithOffset(Date.parse('2027-02-01T23:59:59.999+05:30'))).to.equal('2027-02-01T23:59:59.999+05:30');
      expect(new UserClock('en', 'America/St_Johns').isoWithOffset(Date.parse('2027-01-10T08:00:00.000-03:30'))).to.equal('2027-01-10T08:00:00.000-03:30');
      expect(kolkata.isoDate(Date.parse('2027-02-01T20:00:00Z'))).to.equal('2027-02-02');
      expect(new UserClock('en', 'Mars/Olympus').isoWithOffset(Date.parse('2027-01-01T00:00:00Z'))).to.equal('2027-01-01T00:00:00.000+00:00');
    });

    it('should run on the host\'s clock, not the browser\'s', () => {
      const clock = new UserClock('en', 'UTC', Date.now() + 6 * DAY);
      expect(clock.now() - Date.now()).to.be.within(6 * DAY - 1000, 6 * DAY + 1000);
    });
  });
});
