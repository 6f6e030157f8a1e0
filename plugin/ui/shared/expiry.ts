/** How a token's expiry is shown: a red "Expired" lozenge, a yellow "Expires soon" one, or none. */
export type ExpiryState = 'expired' | 'soon' | 'valid';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * "Expires soon" follows the `expiryWarningDays` setting: a token is marked from the first
 * warning mark (the largest number of days) on, as the owner's first warning mail goes out then.
 */
export function expiryState(validUntil: number, now: number, expiryWarningDays: readonly number[]): ExpiryState {
  if (validUntil <= now) return 'expired';
  const firstMark = expiryWarningDays.reduce((max, d) => (d > max ? d : max), 0);
  return validUntil - now <= firstMark * DAY_MS ? 'soon' : 'valid';
}
