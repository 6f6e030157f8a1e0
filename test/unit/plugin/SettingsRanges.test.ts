// The ranges docs/api.md "Settings" promises, at each edge: the last value inside is taken and
// the first one outside is refused with that field's error code (docs/api.md: one bad value → 400).
// Before this file only a few of the edges were pinned (maxTokensPerUser above its maximum,
// maxValidityMonths 0, duplicate warning days): a widened or narrowed range went unnoticed.
import { expect } from 'chai';
import { changeErrors, SETTING_KEYS } from '../../../plugin/service/Settings';

type Edge = readonly [field: string, inside: readonly unknown[], outside: readonly unknown[], code: string];

const days = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const groups = (n: number): string[] => Array.from({ length: n }, (_, i) => `group-${i}`);
const ips = (n: number): string[] => Array.from({ length: n }, (_, i) => `10.0.${Math.floor(i / 250)}.${i % 250}`);

const EDGES: readonly Edge[] = [
  ['maxValidityMonths', [1, 1200], [0, 1201, 1.5, '12'], 'integerRange'],
  ['defaultValidityMonths', [1, 1200], [0, 1201], 'integerRange'],
  ['maxTokensPerUser', [1, 100000], [0, 100001, -1], 'integerRange'],
  ['pruneExpiredAfterDays', [0, 36500], [-1, 36501], 'integerRange'],
  ['revokeUnusedAfterDays', [0, 36500], [-1, 36501], 'integerRange'],
  ['expiryWarningDays', [[], [1], [365], days(10)], [[0], [366], days(11), [7, 7], [1.5]], 'dayList'],
  ['createOnBehalfGroups', [[], groups(100), ['g'.repeat(255)]], [groups(101), ['g'.repeat(256)], [' '], [1]], 'stringList'],
  ['tokenUserGroups', [[], groups(100), ['g'.repeat(255)]], [groups(101), ['g'.repeat(256)]], 'stringList'],
  ['readOnlyOnlyGroups', [[], groups(100), ['g'.repeat(255)]], [groups(101), ['g'.repeat(256)]], 'stringList'],
  ['ipAllowlist', [[], ips(100), ['::1', 'fd00::/8']], [ips(101), ['10.0.0.0/33']], 'ipList'],
  ['authSchemes', ['basic', 'bearer', 'both'], ['token', 'BOTH', ''], 'oneOf'],
  ['auditTokenUse', ['all', 'sampled', 'off'], ['some', 'ALL'], 'oneOf'],
  ['passwordBasicAuthAllowed', [true, false], ['true', 0, null], 'boolean'],
  ['notifyOnNewIp', [true, false], ['false', 1], 'boolean'],
  ['sudoTokensAllowed', [true, false], ['yes'], 'boolean'],
];

const shown = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
};

describe('Settings ranges of docs/api.md', () => {
  for (const [field, inside, outside, code] of EDGES) {
    it(`should take ${field} at the edges of its range and refuse the first value beyond with ${code}`, () => {
      for (const value of inside) expect(changeErrors({ [field]: value }), `${field}=${shown(value)}`).to.equal(null);
      for (const value of outside) {
        const errors = changeErrors({ [field]: value });
        expect(errors, `${field}=${shown(value)}`).to.not.equal(null);
        expect(Object.keys(errors ?? {}), `${field}=${shown(value)}`).to.deep.equal([field]);
        expect(errors?.[field]?.key, `${field}=${shown(value)}`).to.equal(code);
      }
    });
  }

  it('should cover every setting, so that a new one gets its edges here too', () => {
    expect(EDGES.map(([field]) => field).sort()).to.deep.equal([...SETTING_KEYS].sort());
  });
});
