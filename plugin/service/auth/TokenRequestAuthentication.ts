import { ServiceUnavailableError, type Clock, type HostUser, type Logger } from '../../../host-sim/spi';
import { parseToken, redactTokens } from '../../token/TokenFormat';
import type { AuditQueue } from '../AuditQueue';
import type { FailedAttemptThrottle, ThrottleDecision } from '../FailedAttemptThrottle';
import type { LastAccessRecorder } from '../LastAccessRecorder';
import { andThen, type MaybePromise } from '../MaybePromise';
import type { NewIpDetector } from '../NewIpDetector';
import type { Settings } from '../Settings';
import type { SettingsService } from '../SettingsService';
import { TokenAuditEvents } from '../TokenAuditEvents';
import { CREDENTIAL_FAILURES, type AuthFailureReason, type AuthResult, type TokenAuthenticator } from '../TokenAuthenticator';
import type { TokenUseAuditSampler } from '../TokenUseAuditSampler';
import { PASS, refuse, type AdmitVerdict, type AuthVerdict, type RefusalDetails, type RefuseVerdict } from './AuthVerdict';
import { clip, isPasswordRulePath, isRestPath, loggedPath } from './RequestTarget';
import type { TokenAdmission } from './TokenAdmission';
import type { PresentedCredential, TokenRequestView } from './TokenRequestView';

type Failed = Extract<AuthResult, { ok: false }>;

/**
 * Refusals of a verified secret decided by the user a request names or the owner's state: they
 * must not tell a client the token is fenced off from (TokenAdmission.fenceRefusal) anything.
 */
const NAMED_USER_FAILURES: ReadonlySet<AuthFailureReason> = new Set<AuthFailureReason>(['USER_NOT_FOUND', 'USER_INACTIVE', 'USER_MISMATCH', 'TOKENS_NOT_ALLOWED']);

/** Longest user name a refusal's log line and audit event keep (the client chose it; the path: loggedPath). */
const MAX_LOGGED_USER_NAME = 255;
type TokenCredentialPresented = Extract<PresentedCredential, { kind: 'token' }>;

export interface TokenRequestAuthenticationDeps {
  readonly authenticator: TokenAuthenticator;
  readonly admission: TokenAdmission;
  readonly settings: SettingsService;
  readonly throttle: FailedAttemptThrottle;
  readonly recorder: LastAccessRecorder;
  /** New-IP alerts (optional): told of every success, queues in memory only. */
  readonly newIps?: Pick<NewIpDetector, 'observe'>;
  readonly sampler: TokenUseAuditSampler;
  readonly auditQueue: AuditQueue;
  /** Whether this node keeps up with the other nodes' invalidations (InvalidationBus). */
  readonly caches: { isCurrent(): boolean };
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The part of a response the success bookkeeping needs: Node's response emits 'close' once the
 * answer is out ('finish' before it, `writableFinished` true) or the connection is gone.
 */
export interface FinishingResponse {
  readonly statusCode: number;
  readonly writableFinished: boolean;
  /** True once the connection is gone (the client left while the filter waited for the database). */
  readonly destroyed: boolean;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * The one place that decides a request carrying a credential (docs/api.md, "What a
 * token may do"). A credential that looks like a token is decided here alone and never reaches
 * the host's password check, on any URL; token attempts never touch the user's failed-login
 * counter or CAPTCHA state; failures are throttled per IP and per token public id, after the
 * token failed to verify, so a verifying token is never throttled.
 *
 * Order: canonical target (400) → REST URL only (401) → this node's caches current (503) →
 * scheme allowed (401) → secret and expiry verified (401, or 429 over the failure limit) → the
 * client outside the token's or the global IP allowlist (403, whatever user is named) → the user
 * named and the owner (401) → the token's other limits ({@link TokenAdmission}: 403).
 */
export class TokenRequestAuthentication {
  constructor(private readonly d: TokenRequestAuthenticationDeps) {}

  authenticate(view: TokenRequestView, presented: PresentedCredential): MaybePromise<AuthVerdict> {
    switch (presented.kind) {
      case 'password': return this.password(view, presented.userName);
      case 'malformed': return this.counted(view, refuse('MALFORMED', 'TOKEN_AUTH_FAILED', {}, { challenge: presented.scheme }));
      case 'token': return this.token(view, presented);
    }
  }

  /** Success bookkeeping: the log line, last access, new-IP watch and the (sampled) `token used` event. */
  accepted(verdict: AdmitVerdict, view: TokenRequestView, res: FinishingResponse): void {
    const { credential, owner } = verdict;
    const user = verdict.principal.user;
    const sudo = user !== owner;
    // winston formats a message before its transports drop it by level: ask first.
    if (this.d.logger.isInfoEnabled()) {
      this.d.logger.info(sudo
        ? `${user.name} has been authenticated via API Token ${credential.logIds} of ${owner.name} (run as)`
        : `${user.name} has been authenticated via API Token ${credential.logIds}`);
    }
    const now = this.d.clock.now();
    // authenticate() has just used the settings, so they are cached: no promise per request.
    const settings = this.d.settings.peek();
    const sampled = !sudo && settings !== null
      && this.d.sampler.shouldAudit(settings.auditTokenUse, credential.tokenId, view.ip, now, credential, credential.userKey === null ? user.key : undefined);
    this.d.recorder.record(credential.tokenId, now, view.ip, sampled);
    this.d.newIps?.observe(credential.tokenId, view.ip, now, credential.knownIps);
    if (!sudo && !sampled) return;
    const method = view.method;
    const path = loggedPath(view.target.ok ? view.target.path : null);
    // On 'close', which also comes when the client resets the connection before it is answered:
    // its request has still run, and must not escape the audit.
    const audit = () => {
      const event = TokenAuditEvents.used({ id: credential.tokenId, description: credential.description, userKey: credential.userKey },
        user, { method, path, status: res.statusCode, ip: view.ip, runAsBy: sudo ? owner : undefined, aborted: !res.writableFinished }, now);
      // A sudo request was admitted only while the queue had room (SudoResolver): its event takes the reserve.
      if (sudo) this.d.auditQueue.enqueueReserved(event);
      else this.d.auditQueue.enqueue(event);
    };
    // Gone already (the filter waited for the database while the client left): no 'close' comes.
    if (res.destroyed) audit();
    else res.once('close', audit);
  }

  /**
   * Logs and audits a refusal with its real reason (the client sees only the code's generic
   * message). The user name and the path are the client's own text: a token in them is cut to
   * its public id.
   */
  refused(verdict: RefuseVerdict, view: TokenRequestView): void {
    if (verdict.quiet) return;
    const { tokenId, detail } = verdict.details;
    const userName = verdict.details.userName === undefined ? undefined : clip(redactTokens(verdict.details.userName), MAX_LOGGED_USER_NAME);
    const path = loggedPath(view.target.ok ? view.target.path : null);
    this.d.logger.info('API token refused', { reason: verdict.reason, detail, tokenId, user: userName, ip: view.ip, method: view.method, path });
    this.d.auditQueue.enqueue(TokenAuditEvents.refused({ reason: verdict.reason, detail }, { tokenId, userName, method: view.method, path, ip: view.ip }, this.d.clock.now()));
  }

  private password(view: TokenRequestView, userName: string): MaybePromise<AuthVerdict> {
    const target = view.target;
    // The setting governs the REST API and the servlet's JSON; pages keep the host's own login rules.
    if (target.ok && !isPasswordRulePath(target.path)) return PASS;
    if (!this.d.caches.isCurrent()) return behind();
    return andThen(this.settings(), (s): AuthVerdict => {
      if (s.passwordBasicAuthAllowed) return PASS;
      // A target that cannot be read one way only may still route to a REST resource (`…/myself#`):
      // refused here, never handed to the login, which would check and count the password.
      if (!target.ok) return this.counted(view, refuse('BAD_TARGET', 'BAD_REQUEST_TARGET', { userName, detail: target.reason }));
      return this.counted(view, refuse('PASSWORD_BASIC_DISABLED', 'TOKEN_AUTH_FAILED', { userName }, { challenge: 'basic' }));
    });
  }

  private token(view: TokenRequestView, presented: TokenCredentialPresented): MaybePromise<AuthVerdict> {
    const target = view.target;
    if (!target.ok) return this.counted(view, refuse('BAD_TARGET', 'BAD_REQUEST_TARGET', { detail: target.reason }));
    if (!isRestPath(target.path)) return this.counted(view, refuse('NOT_A_REST_URL', 'TOKEN_REST_ONLY', {}, { challenge: presented.scheme }));
    if (!this.d.caches.isCurrent()) return behind();
    // Decided once the body is in, not when the headers arrive: a client holding the body back
    // must not finish a change after its token was revoked, regenerated or cut down meanwhile.
    if (view.changeWithBody) return view.readBody().then(() => this.withCurrentSettings(view, presented, target.path));
    return this.withCurrentSettings(view, presented, target.path);
  }

  private withCurrentSettings(view: TokenRequestView, presented: TokenCredentialPresented, path: string): MaybePromise<AuthVerdict> {
    if (!this.d.caches.isCurrent()) return behind();
    const settings = this.d.settings.peek();
    if (settings) return this.withSettings(view, presented, path, settings);
    return this.d.settings.get().then((s) => this.withSettings(view, presented, path, s));
  }

  private withSettings(view: TokenRequestView, presented: TokenCredentialPresented, path: string, settings: Settings): MaybePromise<AuthVerdict> {
    if (settings.authSchemes !== 'both' && settings.authSchemes !== presented.scheme) {
      // The challenge names the scheme that is accepted (RFC 9110), not the one refused.
      return this.counted(view, refuse('SCHEME_NOT_ALLOWED', 'TOKEN_AUTH_FAILED', { userName: presented.claimedUser ?? undefined }, { challenge: settings.authSchemes }));
    }
    const result = this.d.authenticator.authenticate(presented.token, presented.claimedUser);
    if (result instanceof Promise) return result.then((r) => this.verified(view, presented, path, settings, r));
    return this.verified(view, presented, path, settings, result);
  }

  private verified(view: TokenRequestView, presented: TokenCredentialPresented, path: string, settings: Settings, result: AuthResult): MaybePromise<AuthVerdict> {
    if (result.ok) {
      const credential = result.credential;
      const verdict = this.d.admission.admit(view, path, settings, credential, result.user);
      // The hot path (admitted at once) allocates no closure.
      if (verdict instanceof Promise) return verdict.then((v) => this.countedIfRefused(view, v, credential.publicId));
      return this.countedIfRefused(view, verdict, credential.publicId);
    }
    // A verified secret refused over the user it names or its owner's state: a client the token is
    // fenced off from gets the fence's refusal instead, as it would for the right user name.
    const credential = result.credential;
    if (credential && NAMED_USER_FAILURES.has(result.reason)) {
      return andThen(this.d.admission.fenceRefusal(view, settings, credential, presented.claimedUser ?? undefined),
        (fenced) => (fenced ? this.countedIfRefused(view, fenced, credential.publicId) : this.failed(view, presented, result)));
    }
    return this.failed(view, presented, result);
  }

  /**
   * A live secret's refusal (its IP allowlists, rules, scope, sudo or holder) counted per client
   * and token ({@link FailedAttemptThrottle.recordRefusal}), as every other refusal is: whoever
   * holds a token that may not be used from there (or for that) otherwise wrote a `token refused`
   * row per request for ever (attack review 25). The answer stays the refusal (the secret
   * verified: there is no guess to slow down); over the limit, the refusal is recorded once as
   * THROTTLED and then not at all until the minute ends. A refusal for want of room in the audit
   * queue (503) is the node's state, not the client's: not counted.
   */
  private countedIfRefused(view: TokenRequestView, verdict: AuthVerdict, publicId: string): AuthVerdict {
    if (verdict.kind !== 'refuse' || verdict.reason === 'SUDO_AUDIT_FULL') return verdict;
    const throttled = this.d.throttle.recordRefusal(view.ip, publicId);
    if (!throttled.blocked) return verdict;
    return throttled.first ? { ...verdict, reason: 'THROTTLED', details: { tokenId: verdict.details.tokenId, userName: verdict.details.userName } } : { ...verdict, quiet: true };
  }

  private failed(view: TokenRequestView, presented: TokenCredentialPresented, result: Failed): AuthVerdict {
    // Named user only as claimed: looking it up would make the answer differ for real users.
    const details = { tokenId: result.credential?.tokenId, userName: presented.claimedUser ?? result.user?.name };
    const verifiedUser: HostUser | null = CREDENTIAL_FAILURES.has(result.reason) ? null : result.user ?? null;
    if (CREDENTIAL_FAILURES.has(result.reason)) {
      const parsed = parseToken(presented.token);
      const publicId = parsed.kind === 'valid' ? parsed.token.publicId : parsed.kind === 'bad-checksum' ? parsed.publicId : null;
      const throttled = this.d.throttle.recordFailure(view.ip, publicId);
      if (throttled.blocked) {
        return throttledRefusal(details, throttled);
      }
    }
    return refuse(result.reason, 'TOKEN_AUTH_FAILED', details, { challenge: presented.scheme, user: verifiedUser });
  }

  /**
   * A refusal before any token could be verified (malformed header, token off REST, bad target,
   * scheme or password Basic not allowed): counted on the client's failure counter like a wrong
   * token, so that a flood of them is answered 429 and recorded once a minute, not once a request.
   */
  private counted(view: TokenRequestView, verdict: RefuseVerdict): RefuseVerdict {
    const throttled = this.d.throttle.recordFailure(view.ip, null);
    return throttled.blocked ? throttledRefusal(verdict.details, throttled) : verdict;
  }

  private settings(): MaybePromise<Settings> {
    return this.d.settings.peek() ?? this.d.settings.get();
  }
}

/**
 * This node cannot read the cluster's change log (database stalled or partitioned away): a
 * credential, owner or setting it cached may have been revoked or changed on another node, so
 * it decides nothing from them — 503, as when the database is down (docs/data-center.md).
 */
function behind(): Promise<never> {
  return Promise.reject(new ServiceUnavailableError('This node has fallen behind the cluster change log'));
}

/** 429 with `Retry-After`; logged and audited only for the attempt that went over the limit. */
function throttledRefusal(details: RefusalDetails, decision: Extract<ThrottleDecision, { blocked: true }>): RefuseVerdict {
  return refuse('THROTTLED', 'THROTTLED', details, { headers: { 'Retry-After': String(decision.retryAfterSeconds) }, quiet: !decision.first });
}
