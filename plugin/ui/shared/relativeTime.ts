/** A time distance as `Intl.RelativeTimeFormat` takes it: a signed whole value and a unit. */
export interface RelativeDistance {
  readonly value: number;
  readonly unit: Intl.RelativeTimeFormatUnit;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Under this distance a time reads as "now" (clocks of browser and host never agree to the second). */
const NOW_MS = 45 * SECOND;

/**
 * The distance from `now` to `at` in the largest unit that reads naturally: "now" under 45
 * seconds, minutes under an hour, hours under a day, days under 30 days, months under a year,
 * then years. Negative values lie in the past.
 */
export function relativeDistance(at: number, now: number): RelativeDistance {
  const delta = at - now;
  const abs = Math.abs(delta);
  const sign = delta < 0 ? -1 : 1;
  const whole = (unitMs: number): number => sign * Math.max(1, Math.round(abs / unitMs));
  if (abs < NOW_MS) return { value: 0, unit: 'second' };
  if (abs < HOUR) return { value: whole(MINUTE), unit: 'minute' };
  if (abs < DAY) return { value: whole(HOUR), unit: 'hour' };
  if (abs < 30 * DAY) return { value: whole(DAY), unit: 'day' };
  if (abs < 365 * DAY) return { value: sign * Math.max(1, Math.round(abs / (30.44 * DAY))), unit: 'month' };
  return { value: sign * Math.max(1, Math.round(abs / (365.25 * DAY))), unit: 'year' };
}

/** "in 3 days", "2 hours ago", "vor 2 Stunden" — `Intl.RelativeTimeFormat` in the user's language. */
export function formatRelative(languageTag: string, at: number, now: number): string {
  const { value, unit } = relativeDistance(at, now);
  return new Intl.RelativeTimeFormat(languageTag, { numeric: 'auto' }).format(value, unit);
}
