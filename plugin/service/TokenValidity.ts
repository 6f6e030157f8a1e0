import { ApiError } from '../errors/ApiError';

/** The validity part of a create request (already type-checked). */
export interface ValidityRequest {
  readonly months?: number;
  readonly dateTime?: string;
  readonly millis?: number;
}

export interface ResolvedValidity {
  readonly validUntil: number;
  /** Months given (lowered to the maximum) or the default; for an explicit date, the months it spans (rounded up). */
  readonly months: number;
  /** The date given (as given), else valid-until in UTC ISO 8601. */
  readonly dateTime: string;
}

/** `ms` plus calendar months in UTC; the day of month is clamped (31 Jan + 1 month = 28/29 Feb). */
export function addMonthsUtc(ms: number, months: number): number {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.getTime();
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;

/** Parses ISO 8601 date-time WITH a UTC offset (`Z` or `±hh:mm`) to epoch millis. */
export function parseIsoWithOffset(value: string): number {
  const m = value.length <= 40 ? ISO.exec(value) : null;
  if (!m) throw new ApiError('EXPIRY_INVALID');
  if (!m[8] && !m[9]) throw new ApiError('EXPIRY_WITHOUT_OFFSET');
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] ? Number(m[6]) : 0;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetHours = m[10] ? Number(m[10]) : 0;
  const offsetMinutes = m[11] ? Number(m[11]) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59
    || offsetHours > 14 || offsetMinutes > 59) {
    throw new ApiError('EXPIRY_INVALID');
  }
  const offset = (m[8] ? 0 : (m[9] === '-' ? -1 : 1)) * (offsetHours * 60 + offsetMinutes) * 60000;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset;
}

/** The whole months from `now` that reach `validUntil` (rounded up), at most `max`. */
export function monthsSpanned(now: number, validUntil: number, max: number): number {
  for (let m = 1; m < max; m++) if (addMonthsUtc(now, m) >= validUntil) return m;
  return max;
}

/**
 * Applies the validity rules (docs/api.md) for a new token (and for a regenerated one or a PATCHed
 * expiry: the same fields, counted from now).
 */
export function resolveValidity(request: ValidityRequest, limits: { maxMonths: number; defaultMonths: number }, now: number): ResolvedValidity {
  const latest = addMonthsUtc(now, limits.maxMonths);
  let explicit: number | undefined;
  if (request.dateTime !== undefined) explicit = parseIsoWithOffset(request.dateTime);
  if (request.millis !== undefined) {
    if (explicit !== undefined && explicit !== request.millis) {
      throw ApiError.validation({ tokenExpirationDateTimeMillis: { key: 'expiryMismatch' } });
    }
    explicit = request.millis;
  }
  if (explicit !== undefined) {
    if (explicit <= now) throw new ApiError('EXPIRY_IN_PAST');
    if (explicit > latest) throw new ApiError('EXPIRY_BEYOND_MAXIMUM', [limits.maxMonths]);
    return {
      validUntil: explicit,
      months: monthsSpanned(now, explicit, limits.maxMonths),
      dateTime: request.dateTime ?? new Date(explicit).toISOString(),
    };
  }
  const months = Math.min(request.months ?? limits.defaultMonths, limits.maxMonths);
  const validUntil = addMonthsUtc(now, months);
  return { validUntil, months, dateTime: new Date(validUntil).toISOString() };
}
