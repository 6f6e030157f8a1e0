import express, { type Request, type Response } from 'express';
import type { Clock, HostUser, Logger } from '../../host-sim/spi';
import { SCOPE_READ_ONLY, type TokenCredential } from '../ao/Token';
import type { ErrorCode } from '../errors/ErrorCode';
import type { AuditQueue } from '../service/AuditQueue';
import type { LastAccessRecorder } from '../service/LastAccessRecorder';
import type { NewIpDetector } from '../service/NewIpDetector';
import type { Settings } from '../service/Settings';
import type { SettingsService } from '../service/SettingsService';
import { TokenAuditEvents } from '../service/TokenAuditEvents';
import type { TokenUseAuditSampler } from '../service/TokenUseAuditSampler';
import { createIpAllowlist, type IpAllowlist } from '../restrictions';
import type { CompiledTokenRestrictions as CompiledRestrictions, RestrictionEvaluator } from './RestrictionEvaluator';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The one write a read-only token may make: creating a (read-only) token, checked by the resource. */
const CREATE_TOKEN_PATH = /^\/rest\/de\.resolution\.apitokenauth\/[^/]+\/user\/token\/?$/;

const ALLOWED = Object.freeze({ allowed: true } as const);

export type GuardVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string; readonly code: ErrorCode };

export interface TokenRequestGuardDeps {
  readonly settings: SettingsService;
  readonly restrictions: RestrictionEvaluator;
  readonly recorder: LastAccessRecorder;
  /** New-IP alerts (optional): told of every success, queues in memory only. */
  readonly newIps?: Pick<NewIpDetector, 'observe'>;
  readonly sampler: TokenUseAuditSampler;
  readonly auditQueue: AuditQueue;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly contextPath: string;
}

/**
 * What happens once a token is verified: the request limits (global IP allowlist, scope, the
 * token's restrictions — the seam for the restrictions engine) and, on success, the principal,
 * the log line, the in-memory last-access record and the sampled `token used` audit event.
 */
export class TokenRequestGuard {
  /** The global allowlist, built once per settings object (a change replaces the object). */
  private readonly allowlists = new WeakMap<Settings, IpAllowlist>();
  private readonly jsonParser = express.json({ limit: '1mb' });

  constructor(private readonly deps: TokenRequestGuardDeps) {}

  /**
   * The request limits, in order. Synchronous in the common case (settings cached, no body
   * rule), so the hot path allocates no promise; asynchronous only to load settings or read a body.
   */
  admit(req: Request, res: Response, credential: TokenCredential, ip: string): GuardVerdict | Promise<GuardVerdict> {
    const settings = this.deps.settings.peek();
    if (!settings) return this.deps.settings.get().then(() => this.admit(req, res, credential, ip));
    if (settings.ipAllowlist.length > 0 && !this.ipAllowed(settings, ip)) {
      return { allowed: false, reason: 'IP_NOT_ALLOWED', code: 'TOKEN_RESTRICTED' };
    }
    if (credential.scope === SCOPE_READ_ONLY && !READ_METHODS.has(req.method)
      && !(req.method === 'POST' && CREATE_TOKEN_PATH.test(this.path(req)))) {
      return { allowed: false, reason: 'SCOPE_READ_ONLY', code: 'SCOPE_TOO_WEAK' };
    }
    const compiled = this.deps.restrictions.forToken(credential.restrictions);
    if (!compiled) return ALLOWED;
    if (!compiled.needsBody) return this.evaluate(compiled, req, ip);
    return this.parseBody(req, res).then((ok): GuardVerdict => (ok
      ? this.evaluate(compiled, req, ip)
      : { allowed: false, reason: 'BODY_TOO_LARGE', code: 'PAYLOAD_TOO_LARGE' }));
  }

  private evaluate(compiled: CompiledRestrictions, req: Request, ip: string): GuardVerdict {
    const verdict = compiled.evaluate({
      method: req.method, path: this.path(req), ip,
      query: req.query as Record<string, string | string[] | undefined>,
      headers: req.headers, body: compiled.needsBody ? req.body : undefined,
    });
    return verdict.allowed ? ALLOWED : { allowed: false, reason: `RESTRICTED:${verdict.reason}`, code: 'TOKEN_RESTRICTED' };
  }

  accept(req: Request, res: Response, credential: TokenCredential, user: HostUser, ip: string): void {
    req.principal = {
      user, method: 'api-token', credentialId: String(credential.tokenId),
      details: { scope: credential.scope, tokenId: credential.tokenId, restricted: credential.restrictions !== null, validUntil: credential.validUntil, sudo: false },
    };
    // winston formats a message before its transports drop it by level: ask first.
    if (this.deps.logger.isInfoEnabled()) this.deps.logger.info(`${user.name} has been authenticated via API Token (${credential.tokenId})`);
    const now = this.deps.clock.now();
    this.deps.recorder.record(credential.tokenId, now, ip);
    this.deps.newIps?.observe(credential.tokenId, ip, now);
    // admit() has just loaded the settings, so they are cached: no promise per request.
    const settings = this.deps.settings.peek();
    if (settings) this.auditUse(settings, req, res, credential, user, ip, now);
    else void this.deps.settings.get().then((s) => this.auditUse(s, req, res, credential, user, ip, now), () => undefined);
  }

  private auditUse(settings: Settings, req: Request, res: Response, credential: TokenCredential, user: HostUser, ip: string, now: number): void {
    if (!this.deps.sampler.shouldAudit(settings.auditTokenUse, credential.tokenId, ip, now)) return;
    const method = req.method;
    const path = this.path(req);
    res.once('finish', () => {
      this.deps.auditQueue.enqueue(TokenAuditEvents.used({ id: credential.tokenId, description: credential.description, userKey: credential.userKey }, user, { method, path, status: res.statusCode, ip }, now));
    });
  }

  private ipAllowed(settings: Settings, ip: string): boolean {
    let allowlist = this.allowlists.get(settings);
    if (!allowlist) this.allowlists.set(settings, allowlist = createIpAllowlist(settings.ipAllowlist));
    return allowlist.contains(ip);
  }

  /**
   * Reads the JSON body once (1 MB, as the host would) so JSON rules can see it; the host's own
   * body parser then skips the consumed stream (`_body`). A body that is not JSON leaves
   * `req.body` undefined, so JSON conditions fail closed. False = too large (413).
   */
  private parseBody(req: Request, res: Response): Promise<boolean> {
    return new Promise((resolve) => {
      this.jsonParser(req, res, (err?: unknown) => {
        if (req.body !== undefined) (req as { _body?: boolean })._body = true;
        resolve((err as { type?: string } | undefined)?.type !== 'entity.too.large');
      });
    });
  }

  private path(req: Request): string {
    const url = req.originalUrl.split('?')[0];
    return this.deps.contextPath && url.startsWith(this.deps.contextPath) ? url.slice(this.deps.contextPath.length) : url;
  }
}
