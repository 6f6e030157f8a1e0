/** One day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What the expiry job has already mailed for a token, stored as JSON in the token row's
 * NOTIFICATION_STATE column: `{"warned":[7,1],"expired":true}`.
 */
export interface NotificationState {
  /** `expiryWarningDays` marks already handled (mailed, or passed over for a nearer mark). */
  readonly warned: readonly number[];
  readonly expired: boolean;
}

/** A mail the expiry job owes a token's owner. */
export type ExpiryNotice = { readonly kind: 'expiring'; readonly days: number } | { readonly kind: 'expired' };

export const EMPTY_STATE: NotificationState = Object.freeze({ warned: [], expired: false });

/** Reads the column; null or anything malformed counts as "nothing sent yet". */
export function parseNotificationState(raw: string | null): NotificationState {
  if (!raw) return EMPTY_STATE;
  try {
    const value = JSON.parse(raw) as { warned?: unknown; expired?: unknown };
    const warned = Array.isArray(value.warned) ? value.warned.filter((d): d is number => Number.isInteger(d)) : [];
    return { warned, expired: value.expired === true };
  } catch {
    return EMPTY_STATE;
  }
}

export function serialiseNotificationState(state: NotificationState): string {
  return JSON.stringify({ warned: [...state.warned].sort((a, b) => b - a), expired: state.expired });
}

/**
 * The notice due for a token now, and the state to record for it; null when nothing is due.
 *
 * A mark N is due once `validUntil − now ≤ N days`, but only for tokens that were created
 * with more than N days to live (a 3-day token gets the 1-day warning, never the 7-day one).
 * When several marks are due at once (the job did not run for a while) only the nearest is
 * mailed and the others are recorded as handled; the notice names the whole days left (at most
 * the mark). Once expired, one expiry notice follows.
 */
export function dueNotice(
  token: { readonly created: number; readonly validUntil: number },
  state: NotificationState,
  marks: readonly number[],
  now: number,
): { notice: ExpiryNotice; next: NotificationState } | null {
  const lifetime = token.validUntil - token.created;
  const reached = marks.filter((m) => lifetime > m * DAY_MS && now >= token.validUntil - m * DAY_MS);
  const warned = [...new Set([...state.warned, ...reached])];
  if (now >= token.validUntil) {
    return state.expired ? null : { notice: { kind: 'expired' }, next: { warned, expired: true } };
  }
  const open = reached.filter((m) => !state.warned.includes(m));
  if (open.length === 0) return null;
  const nearest = Math.min(...open);
  // A nearer mark was mailed already (the marks were changed since): a farther one is no news.
  if (state.warned.some((w) => w <= nearest)) return null;
  // The mail names the whole days left, not the mark: a mark reached late (a term shortened by a
  // PATCH or a regeneration, a job that did not run) would otherwise announce more than is left.
  const days = Math.min(nearest, Math.ceil((token.validUntil - now) / DAY_MS));
  return { notice: { kind: 'expiring', days }, next: { warned, expired: state.expired } };
}
