import type { AuditService, Clock, Logger } from '../../host-sim/spi';
import { RetiredCredential, type Token, type TokenCredential } from '../ao/Token';
import type { TokenStore } from '../ao/TokenStore';
import { ApiError } from '../errors/ApiError';
import type { TokenMailer } from '../mail/TokenMailer';
import { secretMatches } from '../token/SecretHasher';
import { parseToken } from '../token/TokenFormat';
import { publishCommitted } from './CommittedChange';
import type { FailedAttemptThrottle } from './FailedAttemptThrottle';
import { IncidentAuditEvents } from './IncidentAuditEvents';
import type { InvalidationBus } from './InvalidationBus';
import { UNMATCHABLE_HASH, UNMATCHABLE_SALT } from './TokenIncidentService';

/** Most strings one revocation request takes. */
export const MAX_REVOKE_TOKENS = 100;
/** Revocation requests per client IP and minute (system property `apitokenauth.revokeRequestsPerMinute`). */
export const DEFAULT_REVOKE_REQUESTS_PER_MINUTE = 10;

/**
 * Looked up for a string that is no token: a public id no token has (real ones are 12 base62
 * characters), so that every string costs the same read.
 */
const NO_PUBLIC_ID = '-';
/** Deleted when nothing matched: an id no row has, so that every request runs the same statements. */
const NO_TOKEN_ID = 0;

export interface TokenRevocationDeps {
  readonly store: TokenStore;
  readonly bus: InvalidationBus;
  readonly audit: AuditService;
  readonly mailer: TokenMailer;
  /** Counts every request per client IP (a fixed window per minute). */
  readonly throttle: FailedAttemptThrottle;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The unauthenticated revocation API (docs/api.md "Revoke leaked tokens"): whoever holds a token
 * may kill it, as a secret scanner does. The caller learns nothing: every request does the same
 * work — one read of all public ids, one hash per string, one delete, one invalidation — and is
 * answered alike, whatever the strings are. Each valid token (checksum and secret verified, expired
 * or not) is deleted and refused at once on every node; audit and owner mail follow off the request
 * path.
 */
export class TokenRevocation {
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly d: TokenRevocationDeps) {}

  /** Counts this request of `ip`; 429 THROTTLED with Retry-After beyond the limit. Call before reading the body. */
  admit(ip: string): void {
    const decision = this.d.throttle.recordFailure(ip, null);
    if (decision.blocked) throw new ApiError('THROTTLED', [], {}, { 'Retry-After': String(decision.retryAfterSeconds) });
  }

  /** Revokes every valid token among `presented` (at most {@link MAX_REVOKE_TOKENS}). */
  async revoke(presented: readonly string[], ip: string): Promise<void> {
    const parsed = presented.map((value) => {
      const result = parseToken(value);
      return result.kind === 'valid' ? result.token : { publicId: NO_PUBLIC_ID, secret: '' };
    });
    const publicIds = [...new Set(parsed.map((p) => p.publicId))];
    // Both reads for every request: a secret replaced through a token (maybe by a thief holding
    // it) still names its token. Current ones first: a regeneration committing between the two
    // reads then shows the secret in the second, never in neither.
    const credentials = await this.d.store.findCredentials(publicIds);
    const retired = await this.d.store.findRetiredCredentials(publicIds);
    const byPublicId = new Map<string, TokenCredential | RetiredCredential>(retired.map((c) => [c.publicId, c]));
    for (const credential of credentials) byPublicId.set(credential.publicId, credential);
    const matched = new Map<number, TokenCredential | RetiredCredential>();
    for (const { publicId, secret } of parsed) {
      const credential = byPublicId.get(publicId);
      const ok = secretMatches(credential?.saltHex ?? UNMATCHABLE_SALT, credential?.hashHex ?? UNMATCHABLE_HASH, publicId, secret);
      if (ok && credential) matched.set(credential.tokenId, credential);
    }
    // With what was issued through them: a leaked token's holder revokes its offspring as well.
    const deleted = await this.d.store.deleteWithIssued(matched.size > 0 ? [...matched.keys()] : [NO_TOKEN_ID]);
    // Audited and mailed also when the invalidation could not be sent (the deletion stands; review 12).
    await publishCommitted(this.d.bus, { kind: 'tokens', publicIds: deleted.map((t) => t.publicId) }, async () => {
      if (deleted.length === 0) return;
      this.d.logger.info('API tokens revoked by their holder', { tokenIds: deleted.map((t) => t.id).join(','), ip });
      this.later(() => this.report(deleted, ip, matched));
    });
  }

  /** Waits for the audit events and mails still being written (deactivate). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  /** Runs `task` after this turn of the event loop, i.e. after the answer is on its way. */
  private later(task: () => Promise<void>): void {
    const running = new Promise<void>((resolve) => { setImmediate(resolve); }).then(task).catch((err: unknown) => {
      this.d.logger.error('Could not audit or mail a token revocation', { error: String(err) });
    }).finally(() => { this.background.delete(running); });
    this.background.add(running);
  }

  private async report(deleted: readonly Token[], ip: string, presented: ReadonlyMap<number, TokenCredential | RetiredCredential>): Promise<void> {
    const at = this.d.clock.now();
    try {
      await this.d.audit.recordAll(deleted.map((t) => {
        const match = presented.get(t.id);
        return IncidentAuditEvents.revoked(t, ip, at, match ? undefined : t.issuedVia ?? undefined, match instanceof RetiredCredential);
      }));
    } catch (err) {
      // The owners are mailed all the same (review 12): the mail is what tells them to look.
      this.d.logger.error('Could not audit a token revocation', { tokenIds: deleted.map((t) => t.id).join(','), error: String(err) });
    }
    for (const token of deleted) {
      try {
        await this.d.mailer.notify(token, { kind: 'revoked', ip, at });
      } catch (err) {
        this.d.logger.warn('Could not mail the owner of a revoked token', { tokenId: token.id, error: String(err) });
      }
    }
  }
}
