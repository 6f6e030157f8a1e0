import type { AuditNote } from '../ao/Token';
import { clientKey, clientNetworks } from './clientKey';
import type { AuditTokenUse } from './Settings';

const HOUR_S = 3600;
/**
 * Token/IP pairs remembered at most (~60 B each for a token's first IP, so ~120 MB when full). It
 * must hold the active set: when it overflows, the pairs audited longest ago are forgotten and
 * audited again on their next use — a spread over more pairs than this writes an audit event per
 * request. Twice the largest active set the bench drives (1,000,000 tokens from one IP each).
 */
export const MAX_TRACKED_USES = 2_000_000;
/** Tokens' IPv6 /56s and /48s whose audited uses this hour are counted, at most; the oldest count is forgotten first. */
const MAX_COUNTED_NETWORKS = 100_000;

/**
 * Decides which successful token uses get a `token used` audit event (`auditTokenUse` setting).
 *
 * Kept compact because it holds an entry per active token: the first IP of a token and its
 * audit time are map entries keyed by the token id, with the time in whole seconds (a small
 * integer, stored inline); no object per token, so that a million active tokens add little to
 * what the garbage collector must trace. Only further IPs of a token get a `tokenId|ip` key.
 *
 * "Per hour" holds for the cluster, not per node: a token's row keeps its last audited use
 * (written with the last-access flush), and a node that reads the token for the first time takes
 * that pair over ({@link adopt}). Two nodes that both hold the token before either flushes may
 * each audit it once.
 */
export class TokenUseAuditSampler {
  /** The IP of each token's first remembered pair. */
  private readonly firstIp = new Map<number, string>();
  /** When that pair was last audited (seconds, see {@link seconds}), in the order of those times (oldest first). */
  private readonly firstAt = new Map<number, number>();
  /** Pairs of a token's other IPs (`tokenId|ip`), likewise. */
  private readonly otherAt = new Map<string, number>();
  /** Seconds are counted from here: small integers are stored inline in a map. */
  private base: number | null = null;
  /**
   * Audited /64s this hour per token and IPv6 /56 or /48 (`tokenId|network`), oldest first: one
   * holder of a /48 has 65,536 /64s, each a client of its own, and could otherwise have a token's
   * every use from a fresh /64 audited (attack review 24).
   */
  private readonly networkAudits = new Map<string, { readonly at: number; audits: number }>();

  constructor(private readonly maxTracked: number = MAX_TRACKED_USES) {}

  /**
   * `all`: every use; `off`: none; `sampled`: the first use per token and client per hour, a
   * client being an IPv4 address or an IPv6 /64 as the failure throttle counts them
   * ({@link clientKey}): one host holds a whole /64 and could otherwise use a token from a new
   * address on every request, each audited (found by the resource review of 2026-12-04).
   * `note`: the token's cached credential, which remembers its last audited use (see {@link AuditNote}).
   * `actingUserKey`: for a user-less token, the user it acts as on this request; each such user
   * is a pair of its own, else one event would stand for acting as many users from one client.
   */
  shouldAudit(mode: AuditTokenUse, tokenId: number, clientIp: string, now: number, note?: AuditNote, actingUserKey?: string): boolean {
    if (mode === 'off') return false;
    if (mode === 'all') return true;
    // An address has no space: the pair of a user acted as is never one of a plain client.
    const client = clientKey(clientIp);
    const suffix = actingUserKey === undefined ? '' : ` ${actingUserKey}`;
    let ip = client + suffix;
    const t = this.seconds(now);
    if (note !== undefined) {
      if (note.auditNotedBy === this) {
        if (note.auditedIp === ip && t - note.auditedAt < HOUR_S && t >= note.auditedAt) return false;
      } else if (note.auditNotedBy === null && note.auditedAt > 0) {
        this.adopt(tokenId, note.auditedIp, this.seconds(note.auditedAt), t);
      }
    }
    // A /64 due an audit whose /56 or /48 has had its share this hour is sampled as that /48.
    if (client.endsWith('/64') && this.due(tokenId, ip, t)) {
      const widest = this.spend(tokenId, clientIp, suffix, t);
      if (widest !== undefined) ip = widest;
    }
    const audit = this.sampled(tokenId, ip, t);
    if (note !== undefined) {
      note.auditNotedBy = this;
      note.auditedIp = ip;
      note.auditedAt = audit ? t : this.auditedAt(tokenId, ip);
    }
    return audit;
  }

  private sampled(tokenId: number, ip: string, t: number): boolean {
    const first = this.firstIp.get(tokenId);
    if (first === ip) return renewed(this.firstAt, tokenId, t);
    // A further IP, or a token whose first pair was forgotten while others stayed; a new token's
    // first use builds no key while no token has further IPs.
    const key = first === undefined && this.otherAt.size === 0 ? null : `${tokenId}|${ip}`;
    if (key !== null && this.otherAt.has(key)) return renewed(this.otherAt, key, t);
    this.makeRoom(t);
    if (first === undefined) {
      this.firstIp.set(tokenId, ip);
      this.firstAt.set(tokenId, t);
    } else {
      this.otherAt.set(key as string, t);
    }
    return true;
  }

  /**
   * Takes over the audit the token's row records (another node's, or this node's before a
   * restart) for a pair this sampler holds nothing of, when it is less than an hour old: a node
   * that reads the token for the first time does not audit that IP's use again within the hour.
   */
  private adopt(tokenId: number, ip: string, at: number, t: number): void {
    if (ip === '' || t - at >= HOUR_S || t < at) return;
    const first = this.firstIp.get(tokenId);
    if (first === ip) return;
    if (first === undefined) {
      this.makeRoom(t);
      this.firstIp.set(tokenId, ip);
      this.firstAt.set(tokenId, at);
      return;
    }
    const key = `${tokenId}|${ip}`;
    if (this.otherAt.has(key)) return;
    this.makeRoom(t);
    this.otherAt.set(key, at);
  }

  /** True when a use of the pair would be audited: none remembered, or an hour old or in the future. */
  private due(tokenId: number, ip: string, t: number): boolean {
    const last = this.lastAudited(tokenId, ip);
    return last === undefined || t - last >= HOUR_S || t < last;
  }

  /**
   * Counts an audit of an IPv6 client's /64 against the token's count of its /56 and /48 (as many
   * /64s an hour as the failure throttle's multiples: 2 and 3); when one is spent, counts nothing
   * and answers the /48's pair key instead, which is audited once an hour.
   */
  private spend(tokenId: number, clientIp: string, suffix: string, t: number): string | undefined {
    const networks = clientNetworks(clientIp).slice(1);
    const counts = networks.map((n) => {
      const key = `${tokenId}|${n.key}${suffix}`;
      const count = this.networkAudits.get(key);
      return { key, times: n.times, count: count !== undefined && t - count.at < HOUR_S && t >= count.at ? count : undefined };
    });
    if (counts.some((c) => c.count !== undefined && c.count.audits >= c.times)) return networks[networks.length - 1].key + suffix;
    for (const c of counts) {
      if (c.count !== undefined) { c.count.audits++; continue; }
      this.networkAudits.delete(c.key);
      if (this.networkAudits.size >= MAX_COUNTED_NETWORKS) this.networkAudits.delete(this.networkAudits.keys().next().value as string);
      this.networkAudits.set(c.key, { at: t, audits: 1 });
    }
    return undefined;
  }

  /** When the pair was last audited (seconds), having just been found not due. */
  private auditedAt(tokenId: number, ip: string): number {
    return this.lastAudited(tokenId, ip) as number;
  }

  /** When the pair was last audited (seconds), if it is remembered. */
  private lastAudited(tokenId: number, ip: string): number | undefined {
    return this.firstIp.get(tokenId) === ip ? this.firstAt.get(tokenId) : this.otherAt.get(`${tokenId}|${ip}`);
  }

  get size(): number {
    return this.firstAt.size + this.otherAt.size;
  }

  private seconds(now: number): number {
    this.base ??= now;
    return Math.floor((now - this.base) / 1000);
  }

  /** When full: drops expired pairs and, if still full, the oldest tenth (never everything at once). */
  private makeRoom(t: number): void {
    if (this.size < this.maxTracked) return;
    let over = this.size - this.maxTracked + Math.max(1, Math.floor(this.maxTracked / 10));
    // The older of the two heads goes first, so eviction follows audit time across both maps.
    const firsts = this.firstAt.entries();
    const others = this.otherAt.entries();
    let f = firsts.next();
    let o = others.next();
    while (!f.done || !o.done) {
      const takeFirst = o.done || (!f.done && f.value[1] <= o.value[1]);
      const at = takeFirst ? (f.value as [number, number])[1] : (o.value as [string, number])[1];
      if (over <= 0 && t - at < HOUR_S && t >= at) break;
      if (takeFirst) {
        const id = (f.value as [number, number])[0];
        this.firstAt.delete(id);
        this.firstIp.delete(id);
        f = firsts.next();
      } else {
        this.otherAt.delete((o.value as [string, number])[0]);
        o = others.next();
      }
      over--;
    }
  }
}

/** True (and the pair re-dated, moved to the newest end) when its last audit is an hour old or in the future. */
function renewed<K>(times: Map<K, number>, key: K, t: number): boolean {
  const last = times.get(key) as number;
  if (t - last < HOUR_S && t >= last) return false;
  times.delete(key);
  times.set(key, t);
  return true;
}
