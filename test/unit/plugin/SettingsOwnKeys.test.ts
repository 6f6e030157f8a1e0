// Settings read from user JSON: only the settings' own keys count. Names inherited from
// Object.prototype (`__proto__`, `constructor`, `hasOwnProperty`, `__defineGetter__`, …) are
// unknown fields, never a crash and never echoed back as settings (issue 11, finding 7).
import { expect } from 'chai';
import { DEFAULT_SETTINGS, mergeSettings, settingsFromStorage, SETTING_KEYS } from '../../../plugin/service/Settings';

const INHERITED = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__',
  '__lookupGetter__', '__lookupSetter__', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];

describe('Settings own-property checks', () => {
  for (const key of INHERITED) {
    it(`should report "${key}" as an unknown field`, () => {
      // JSON.parse makes even "__proto__" an own data property, as express.json does.
      const change: unknown = JSON.parse(`{${JSON.stringify(key)}: 1, "maxTokensPerUser": 5}`);
      const result = mergeSettings(DEFAULT_SETTINGS, change);
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(Object.keys(result.errors)).to.deep.equal([key]);
      expect(Object.getOwnPropertyDescriptor(result.errors, key)?.value).to.deep.equal({ key: 'unknownField' });
    });
  }

  it('should never add an inherited name to the merged settings', () => {
    const result = mergeSettings(DEFAULT_SETTINGS, JSON.parse('{"maxTokensPerUser": 5}'));
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(Object.keys(result.value).sort()).to.deep.equal([...SETTING_KEYS].sort());
    expect(Object.getPrototypeOf(result.value)).to.equal(Object.prototype);
  });

  it('should read only the stored keys of the settings themselves', () => {
    const stored: Record<string, string> = JSON.parse('{"__proto__": "{}", "settings.constructor": "1", "settings.maxTokensPerUser": "7"}');
    const settings = settingsFromStorage(stored);
    expect(settings.maxTokensPerUser).to.equal(7);
    expect(Object.keys(settings).sort()).to.deep.equal([...SETTING_KEYS].sort());
    // An inherited lookup would find Object.prototype's values under these names.
    const inheritedOnly = settingsFromStorage(Object.create({ 'settings.maxTokensPerUser': '9' }) as Record<string, string>);
    expect(inheritedOnly.maxTokensPerUser).to.equal(DEFAULT_SETTINGS.maxTokensPerUser);
  });
});
