import { LRUCache } from 'lru-cache';
import type { Clock } from '../../host-sim/spi';
import { clientNetworks } from './clientKey';

export const DEFAULT_FAILED_ATTEMPTS_PER_MINUTE = 100;
const WINDOW_MS = 60000;
const MAX_TRACKED_KEYS = 100000;

/**
 * `first`: this is the attempt that went over the limit of its key in this window (the one worth
 * a log line and an audit event; the ones after it only repeat it).
 */
export type ThrottleDecision =
  | { readonly blocked: false }
  | { readonly blocked: true; readonly retryAfterSeconds: number; readonly first: boolean };

const NOT_BLOCKED: ThrottleDecision = Object.freeze({ blocked: false });

/** Both decisions in one: blocked if either is, for the longer wait; first if either went over its limit just now. */
function worse(a: ThrottleDecision, b: ThrottleDecision): ThrottleDecision {
  if (!a.blocked) return b;
  if (!b.blocked) return a;
  const longer = a.retryAfterSeconds >= b.retryAfterSeconds ? a : b;
  return { blocked: true, retryAfterSeconds: longer.retryAfterSeconds, first: a.first || b.first };
}

/**
 * Counts failed token attempts in fixed one-minute windows, per client IP and per token public
 * id (so guesses spread over many IPs against one token are counted too). It is consulted only
 * after a token failed to verify: a request whose token verifies is never throttled, so a flood
 * of bad tokens from one office NAT cannot lock out the good tokens behind it. Beyond the limit
 * a failing attempt is answered 429 with `Retry-After` instead of 401.
 *
 * At most 100,000 keys are tracked; beyond that the key least recently failed is forgotten
 * first. A key under attack fails all the time and so stays: filling the table with made-up
 * public ids cannot reset the attacker's own IP or the public id being guessed.
 *
 * An IPv6 client is counted per /64, and its /56 and /48 with twice and three times the limit
 * (see {@link clientNetworks}): a subscriber line or host is handed a whole /64, a subscriber or
 * site a /56 or /48, so counting each address or /64 alone would give one holder that many fresh
 * counters (and that many audit events).
 */
export class FailedAttemptThrottle {
  private readonly windows = new LRUCache<string, { start: number; failures: number }>({ max: MAX_TRACKED_KEYS });

  constructor(private readonly clock: Clock, private readonly limitPerMinute: number = DEFAULT_FAILED_ATTEMPTS_PER_MINUTE) {}

  /**
   * Records one failure of `ip` (and of `publicId` when the token had one) and says whether this
   * attempt is over the limit of either.
   */
  recordFailure(ip: string, publicId: string | null): ThrottleDecision {
    return this.record('', ip, publicId);
  }

  /**
   * Records one refusal of a secret that verified (an IP allowlist, rules, scope, sudo, the
   * secret's holder) on counters of their own, so that such refusals never hold back the client's
   * or the token's failed attempts, and says whether it is over the limit: its record is then
   * bounded as a failure's is (attack review 25), its answer stays the refusal.
   */
  recordRefusal(ip: string, publicId: string): ThrottleDecision {
    return this.record('refused ', ip, publicId);
  }

  private record(kind: '' | 'refused ', ip: string, publicId: string | null): ThrottleDecision {
    const now = this.clock.now();
    let byIp = NOT_BLOCKED;
    let wasBlocked = false;
    for (const network of clientNetworks(ip)) {
      const decision = this.count(`${kind}ip:${network.key}`, now, this.limitPerMinute * network.times);
      if (decision.blocked && !decision.first) wasBlocked = true;
      byIp = worse(byIp, decision);
    }
    // One THROTTLED event per client going over, not one per /64 of a /48 already over: fresh /64s
    // that each reach their own limit would otherwise write an event apiece (attack review 24).
    if (byIp.blocked && wasBlocked) byIp = { ...byIp, first: false };
    const byToken = publicId === null ? NOT_BLOCKED : this.count(`${kind}id:${publicId}`, now, this.limitPerMinute);
    return worse(byIp, byToken);
  }

  /** How many IPs and public ids are being counted. */
  trackedKeys(): number {
    return this.windows.size;
  }

  private count(key: string, now: number, limit: number): ThrottleDecision {
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS || now < window.start) {
      window = { start: now, failures: 0 };
      this.windows.set(key, window);
    }
    window.failures++;
    if (window.failures <= limit) return NOT_BLOCKED;
    return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000)), first: window.failures === limit + 1 };
  }
}
