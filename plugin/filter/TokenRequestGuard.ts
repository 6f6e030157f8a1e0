import express, { type Request, type Response } from 'express';
import ipaddr from 'ipaddr.js';
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
import type { RestrictionEvaluator } from './RestrictionEvaluator';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The one write a read-only token may make: creating a (read-only) token, checked by the resource. */
const CREATE_TOKEN_PATH = /^\/rest\/de\.resolution\.apitokenauth\/[^/]+\/user\/token\/?$/;

export type GuardVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: string; readonly code: ErrorCode };

type ParsedRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

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
  private readonly allowlists = new WeakMap<Settings, ParsedRange[]>();
  private readonly jsonParser = express.json({ limit: '1mb' });

  constructor(private readonly deps: TokenRequestGuardDeps) {}

  async admit(req: Request, res: Response, credential: TokenCredential, ip: string): Promise<GuardVerdict> {
    const settings = await this.deps.settings.get();
    if (settings.ipAllowlist.length > 0 && !this.ipAllowed(settings, ip)) {
      return { allowed: false, reason: 'IP_NOT_ALLOWED', code: 'TOKEN_RESTRICTED' };
    }
    const path = this.path(req);
    if (credential.scope === SCOPE_READ_ONLY && !READ_METHODS.has(req.method)
      && !(req.method === 'POST' && CREATE_TOKEN_PATH.test(path))) {
      return { allowed: false, reason: 'SCOPE_READ_ONLY', code: 'SCOPE_TOO_WEAK' };
    }
    const compiled = this.deps.restrictions.forToken(credential.restrictions);
    if (compiled) {
      if (compiled.needsBody && !(await this.parseBody(req, res))) {
        return { allowed: false, reason: 'BODY_TOO_LARGE', code: 'PAYLOAD_TOO_LARGE' };
      }
      const verdict = compiled.evaluate({
        method: req.method, path, ip,
        query: req.query as Record<string, string | string[] | undefined>,
        headers: req.headers, body: compiled.needsBody ? req.body : undefined,
      });
      if (!verdict.allowed) return { allowed: false, reason: `RESTRICTED:${verdict.reason}`, code: 'TOKEN_RESTRICTED' };
    }
    return { allowed: true };
  }

  accept(req: Request, res: Response, credential: TokenCredential, user: HostUser, ip: string): void {
    req.principal = {
      user, method: 'api-token', credentialId: String(credential.tokenId),
      details: { scope: credential.scope, tokenId: credential.tokenId, restricted: credential.restrictions !== null },
    };
    this.deps.logger.info(`${user.name} has been authenticated via API Token (${credential.tokenId})`);
    const now = this.deps.clock.now();
    this.deps.recorder.record(credential.tokenId, now, ip);
    this.deps.newIps?.observe(credential.tokenId, ip, now);
    void this.deps.settings.get().then((settings) => {
      if (!this.deps.sampler.shouldAudit(settings.auditTokenUse, credential.tokenId, ip, now)) return;
      const method = req.method;
      const path = this.path(req);
      res.once('finish', () => {
        this.deps.auditQueue.enqueue(TokenAuditEvents.used({ id: credential.tokenId, description: credential.description, userKey: credential.userKey }, user, { method, path, status: res.statusCode, ip }, now));
      });
    }, () => undefined);
  }

  private ipAllowed(settings: Settings, ip: string): boolean {
    let ranges = this.allowlists.get(settings);
    if (!ranges) {
      ranges = settings.ipAllowlist.map((entry): ParsedRange => {
        if (entry.includes('/')) return ipaddr.parseCIDR(entry);
        const addr = ipaddr.parse(entry);
        return [addr, addr.kind() === 'ipv4' ? 32 : 128];
      });
      this.allowlists.set(settings, ranges);
    }
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      addr = ipaddr.process(ip);
    } catch {
      return false;
    }
    return ranges.some(([range, bits]) => {
      const candidate = range.kind() === 'ipv6' && addr.kind() === 'ipv4' ? (addr as ipaddr.IPv4).toIPv4MappedAddress() : addr;
      return candidate.kind() === range.kind() && candidate.match(range, bits);
    });
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
