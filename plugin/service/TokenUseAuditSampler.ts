import type { AuditTokenUse } from './Settings';

const HOUR_MS = 3600000;
const MAX_TRACKED = 100000;

/** Decides which successful token uses get a `token used` audit event (`auditTokenUse` setting). */
export class TokenUseAuditSampler {
  private readonly lastAudited = new Map<string, number>();

  /** `all`: every use; `off`: none; `sampled`: the first use per token and client IP per hour. */
  shouldAudit(mode: AuditTokenUse, tokenId: number, ip: string, now: number): boolean {
    if (mode === 'off') return false;
    if (mode === 'all') return true;
    const key = `${tokenId}|${ip}`;
    const last = this.lastAudited.get(key);
    if (last !== undefined && now - last < HOUR_MS && now >= last) return false;
    if (this.lastAudited.size >= MAX_TRACKED) this.prune(now);
    this.lastAudited.set(key, now);
    return true;
  }

  private prune(now: number): void {
    for (const [key, at] of this.lastAudited) if (now - at >= HOUR_MS) this.lastAudited.delete(key);
    if (this.lastAudited.size >= MAX_TRACKED) this.lastAudited.clear();
  }
}
