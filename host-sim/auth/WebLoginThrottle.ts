// How many wrong passwords the login page and the websudo form check per client. Neither shows a
// CAPTCHA, and both check passwords in the CAPTCHA state (a web login is what ends it, SPEC), so
// without a limit they answered every guess: after the CAPTCHA state, any number of wrong
// passwords and then the right one were all checked (review 22). Beyond the limit a client's
// password is not checked at all — the right one neither, or the answer would tell it — until its
// window ends; other clients are never held back, so no one can lock a user out from elsewhere
// (elsewhere than their own IPv6 /56 or /48, which share a wider count, as an office shares its
// IPv4 address).
import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../spi';
import { ipv6CountedNetworks, ipv6NetworkText } from '../spi/ipAddress';
import { canonicalIp } from '../web/requestContext';

/** Wrong passwords a client may have checked per minute on the login page and the websudo form, per node. */
export const WEB_LOGIN_FAILURES_PER_MINUTE = 10;
const WINDOW_MS = 60_000;
/** Beyond this many clients, the one least recently failed is forgotten first (a client guessing stays). */
const MAX_TRACKED_CLIENTS = 100_000;
/** One count a failure goes to, and its limit a minute. */
interface CountedKey {
  readonly key: string;
  readonly limit: number;
}

/**
 * An address in a form the host names clients by ({@link canonicalIp}: IPv4-mapped IPv6 as IPv4,
 * `::10.0.0.1` as the IPv6 address ::a00:1 it is); undefined for anything else.
 */
function addressOf(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const canonical = canonicalIp(ip);
  return canonical === null ? undefined : ipaddr.parse(canonical);
}

/**
 * The client a failure counts against: an IPv4 address (also written IPv4-mapped), an IPv6
 * address as its /64 (one line or host holds a whole /64, 2^64 fresh counters otherwise).
 */
export function webClientKey(ip: string): string {
  const address = addressOf(ip);
  if (address === undefined) return ip;
  return address instanceof ipaddr.IPv4 ? address.toString() : ipv6NetworkText(address.parts, 64);
}

/**
 * Every count a failure of this client goes to: the client, and for IPv6 its /56 and /48 too, with
 * twice and three times the limit ({@link ipv6CountedNetworks}): a household or site shares 20 or
 * 30 guesses a minute, as an office behind one IPv4 address shares ten.
 */
function clientCounts(ip: string, limit: number): CountedKey[] {
  const address = addressOf(ip);
  if (address instanceof ipaddr.IPv6) return ipv6CountedNetworks(address.parts).map((n) => ({ key: n.key, limit: limit * n.times }));
  return [{ key: address === undefined ? ip : address.toString(), limit }];
}

export class WebLoginThrottle {
  private readonly windows = new LRUCache<string, { start: number; failures: number }>({ max: MAX_TRACKED_CLIENTS });

  constructor(private readonly clock: Clock, private readonly limitPerMinute = WEB_LOGIN_FAILURES_PER_MINUTE) {}

  /**
   * 0 when a password of this client (and of this session, on the websudo form) may be checked
   * now, counted at once as a failure on each (so that guesses sent at once cannot all be checked
   * while none has failed yet); else the seconds until one may be. The session has its own count
   * because a stolen cookie moves between addresses at will (a line holds many /64s), and no one
   * else's password check waits on it.
   */
  admit(ip: string, sessionId?: string): number {
    const now = this.clock.now();
    const keys = this.keysOf(ip, sessionId);
    let retryAfterSeconds = 0;
    for (const { key, limit } of keys) {
      const window = this.current(key, now);
      if (window && window.failures >= limit) {
        retryAfterSeconds = Math.max(retryAfterSeconds, 1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
      }
    }
    if (retryAfterSeconds > 0) return retryAfterSeconds;
    for (const { key } of keys) {
      const window = this.current(key, now);
      if (window) window.failures++;
      else this.windows.set(key, { start: now, failures: 1 });
    }
    return 0;
  }

  /** The admitted password was right: it does not count. */
  succeeded(ip: string, sessionId?: string): void {
    const now = this.clock.now();
    for (const { key } of this.keysOf(ip, sessionId)) {
      const window = this.current(key, now);
      if (window && window.failures > 0) window.failures--;
    }
  }

  private keysOf(ip: string, sessionId: string | undefined): CountedKey[] {
    const keys = clientCounts(ip, this.limitPerMinute);
    // A space never appears in an address, so a session's key is never a client's.
    if (sessionId !== undefined) keys.push({ key: `session ${sessionId}`, limit: this.limitPerMinute });
    return keys;
  }

  /** The client's window if it is still open (a clock moved back before its start ends it). */
  private current(key: string, now: number): { start: number; failures: number } | undefined {
    const window = this.windows.get(key);
    return window && now >= window.start && now - window.start < WINDOW_MS ? window : undefined;
  }
}
