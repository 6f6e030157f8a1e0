import type { Clock } from '../../host-sim/spi';

export const DEFAULT_FAILED_ATTEMPTS_PER_MINUTE = 100;
const WINDOW_MS = 60000;
const MAX_TRACKED_KEYS = 100000;

export type ThrottleDecision = { readonly blocked: false } | { readonly blocked: true; readonly retryAfterSeconds: number };

const NOT_BLOCKED: ThrottleDecision = Object.freeze({ blocked: false });

/**
 * Counts failed token attempts in fixed one-minute windows, per client IP and per token public
 * id (so guesses spread over many IPs against one token are counted too). It is consulted only
 * after a token failed to verify: a request whose token verifies is never throttled, so a flood
 * of bad tokens from one office NAT cannot lock out the good tokens behind it. Beyond the limit
 * a failing attempt is answered 429 with `Retry-After` instead of 401.
 */
export class FailedAttemptThrottle {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(private readonly clock: Clock, private readonly limitPerMinute: number = DEFAULT_FAILED_ATTEMPTS_PER_MINUTE) {}

  /**
   * Records one failure of `ip` (and of `publicId` when the token had one) and says whether this
   * attempt is over the limit of either.
   */
  recordFailure(ip: string, publicId: string | null): ThrottleDecision {
    const now = this.clock.now();
    const byIp = this.count(`ip:${ip}`, now);
    const byToken = publicId === null ? NOT_BLOCKED : this.count(`id:${publicId}`, now);
    if (!byIp.blocked) return byToken;
    if (!byToken.blocked) return byIp;
    return byIp.retryAfterSeconds >= byToken.retryAfterSeconds ? byIp : byToken;
  }

  private count(key: string, now: number): ThrottleDecision {
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS || now < window.start) {
      if (!window && this.windows.size >= MAX_TRACKED_KEYS) this.prune(now);
      window = { start: now, failures: 0 };
      this.windows.set(key, window);
    }
    window.failures++;
    if (window.failures <= this.limitPerMinute) return NOT_BLOCKED;
    return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)) };
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(key);
    if (this.windows.size >= MAX_TRACKED_KEYS) this.windows.clear();
  }
}
