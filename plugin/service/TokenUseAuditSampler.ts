import type { AuditTokenUse } from './Settings';

const HOUR_MS = 3600000;
/**
 * Token/IP pairs remembered at most (~90 B each, so ~90 MB when full). It must hold the active
 * set: when it overflows, the pairs audited longest ago are forgotten and audited again on
 * their next use — a spread over more pairs than this writes an audit event per request.
 */
export const MAX_TRACKED_USES = 1_000_000;

/** Decides which successful token uses get a `token used` audit event (`auditTokenUse` setting). */
export class TokenUseAuditSampler {
  /** Last audit time per `tokenId|ip`, in the order of those times (oldest first). */
  private readonly lastAudited = new Map<string, number>();

  constructor(private readonly maxTracked: number = MAX_TRACKED_USES) {}

  /** `all`: every use; `off`: none; `sampled`: the first use per token and client IP per hour. */
  shouldAudit(mode: AuditTokenUse, tokenId: number, ip: string, now: number): boolean {
    if (mode === 'off') return false;
    if (mode === 'all') return true;
    const key = `${tokenId}|${ip}`;
    const last = this.lastAudited.get(key);
    if (last !== undefined && now - last < HOUR_MS && now >= last) return false;
    // Re-inserted, so the map stays ordered by audit time and eviction takes the oldest.
    if (last !== undefined) this.lastAudited.delete(key);
    else if (this.lastAudited.size >= this.maxTracked) this.evict(now);
    this.lastAudited.set(key, now);
    return true;
  }

  /** Drops expired pairs and, if still full, the oldest tenth (never the whole map at once). */
  private evict(now: number): void {
    let over = this.lastAudited.size - this.maxTracked + Math.max(1, Math.floor(this.maxTracked / 10));
    for (const [key, at] of this.lastAudited) {
      if (over <= 0 && now - at < HOUR_MS && now >= at) break;
      this.lastAudited.delete(key);
      over--;
    }
  }

  get size(): number {
    return this.lastAudited.size;
  }
}
