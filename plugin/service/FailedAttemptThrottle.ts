import type { Clock } from '../../host-sim/spi';

export const DEFAULT_FAILED_ATTEMPTS_PER_MINUTE = 100;
const WINDOW_MS = 60000;
const MAX_TRACKED_IPS = 100000;

export type ThrottleDecision = { readonly blocked: false } | { readonly blocked: true; readonly retryAfterSeconds: number };

/**
 * Limits failed token attempts per client IP in fixed one-minute windows: beyond the limit,
 * token attempts from that IP are answered 429 with `Retry-After` until the window ends.
 */
export class FailedAttemptThrottle {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(private readonly clock: Clock, private readonly limitPerMinute: number = DEFAULT_FAILED_ATTEMPTS_PER_MINUTE) {}

  check(ip: string): ThrottleDecision {
    const window = this.windows.get(ip);
    if (!window) return { blocked: false };
    const now = this.clock.now();
    if (now - window.start >= WINDOW_MS || now < window.start) {
      this.windows.delete(ip);
      return { blocked: false };
    }
    if (window.failures < this.limitPerMinute) return { blocked: false };
    return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)) };
  }

  recordFailure(ip: string): void {
    const now = this.clock.now();
    const window = this.windows.get(ip);
    if (window && now - window.start < WINDOW_MS && now >= window.start) {
      window.failures++;
      return;
    }
    if (this.windows.size >= MAX_TRACKED_IPS) this.prune(now);
    this.windows.set(ip, { start: now, failures: 1 });
  }

  private prune(now: number): void {
    for (const [ip, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(ip);
    if (this.windows.size >= MAX_TRACKED_IPS) this.windows.clear();
  }
}
