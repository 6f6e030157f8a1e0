import type { Clock, Logger } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import { knownIpsInclude, parseKnownIps } from '../ao/knownIps';
import type { TokenMaintenanceStore } from '../ao/TokenMaintenanceStore';
import type { TokenMailer } from '../mail/TokenMailer';
import type { SettingsService } from './SettingsService';

/** IPs kept per token in KNOWN_IPS (the most recent); an IP pushed out counts as new again. */
export const MAX_KNOWN_IPS = 50;
const MAX_TRACKED_TOKENS = 100_000;
const MAX_PENDING_TOKENS = 10_000;
const CAS_ATTEMPTS = 5;
/**
 * Shortest time between two new-IP mails about one token from one node. New IPs recorded
 * meanwhile wait and go out together in the next mail: whoever holds a token could otherwise
 * send its owner a mail per address (an IPv6 /64 never runs out), burying the one that matters.
 */
export const NEW_IP_MAIL_INTERVAL_MS = 60 * 60 * 1000;
/** New IPs named in one mail (the first seen); the others are counted. */
export const MAX_IPS_PER_MAIL = 20;
/** Tokens with a mail owed, at most; beyond, the IPs are still recorded but not mailed about. */
const MAX_OWED_TOKENS = 10_000;

/** The mail this node owes about one token: its IPs are recorded (their compare-and-set won). */
interface OwedMail {
  token: Token;
  /** The first new IPs (at most MAX_IPS_PER_MAIL), with the time each was first seen. */
  readonly ips: Array<{ readonly ip: string; readonly seenAt: number }>;
  /** New IPs beyond those named. */
  more: number;
}

export interface NewIpDetectorDeps {
  readonly store: TokenMaintenanceStore;
  readonly settings: SettingsService;
  readonly mailer: TokenMailer;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Notices when a token is used from an IP it was never used from, and mails the owner.
 *
 * The request path only calls {@link observe}: a map lookup that queues unknown (token, IP)
 * pairs in memory. {@link drain} (the per-node `new-ip-alert-job`, and on deactivate) merges
 * them into the token row's KNOWN_IPS with a compare-and-set, so when two nodes see the same
 * new IP only the node whose update wins sends the one mail. The first IP a token is ever used
 * from is recorded silently: it is the creator's own first use, not news. One mail names every
 * new IP of a token since the last one, and a node mails about a token at most once per
 * {@link NEW_IP_MAIL_INTERVAL_MS}: the first new IP is reported at once, a flood of them in one
 * mail an hour.
 */
export class NewIpDetector {
  /** IPs known per token (seeded from KNOWN_IPS by the drain). */
  private readonly known = new Map<number, Set<string>>();
  /** Unknown IPs seen per token since the last drain, with the first time seen. */
  private pending = new Map<number, Map<string, number>>();
  private draining: Promise<void> | null = null;
  /** Mails owed per token: IPs recorded, the mail not yet queued (waiting for the interval, or the outbox). */
  private readonly owed = new Map<number, OwedMail>();
  /** When this node last queued a new-IP mail per token (within the interval only). */
  private readonly lastMailAt = new Map<number, number>();

  constructor(private readonly d: NewIpDetectorDeps) {}

  /**
   * Hot path: synchronous, no I/O. `knownAtLoad`: the token's KNOWN_IPS as its row held it when
   * the credential was read (the credential cache's copy), so that a large active set of tokens
   * used from their usual IPs queues nothing, although this node tracks only so many tokens.
   */
  observe(tokenId: number, ip: string, at: number, knownAtLoad: string | null = null): void {
    if (!ip || knownIpsInclude(knownAtLoad, ip) || this.known.get(tokenId)?.has(ip)) return;
    let seen = this.pending.get(tokenId);
    if (!seen) {
      if (this.pending.size >= MAX_PENDING_TOKENS) return; // a drain is overdue; keep memory bounded
      seen = new Map();
      this.pending.set(tokenId, seen);
    }
    if (!seen.has(ip) && seen.size < MAX_KNOWN_IPS) seen.set(ip, at);
  }

  get pendingTokens(): number {
    return this.pending.size;
  }

  /** Merges what was observed into the database and mails owners about new IPs. */
  drain(): Promise<void> {
    if (this.draining) return this.draining;
    this.draining = this.doDrain().finally(() => { this.draining = null; });
    return this.draining;
  }

  private async doDrain(): Promise<void> {
    if (this.pending.size > 0) await this.mergePending();
    await this.sendOwed();
  }

  private async mergePending(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    let tokens: Token[];
    let notify: boolean;
    try {
      notify = (await this.d.settings.get()).notifyOnNewIp;
      tokens = await this.d.store.getMany([...batch.keys()]);
    } catch (err) {
      this.requeue(batch);
      this.d.logger.warn('Could not check token IPs; will retry', { tokens: batch.size, error: String(err) });
      return;
    }
    for (const token of tokens) {
      const seen = batch.get(token.id);
      if (!seen) continue;
      try {
        await this.merge(token, seen, notify);
      } catch (err) {
        this.requeue(new Map([[token.id, seen]]));
        this.d.logger.warn('Could not record token IPs; will retry', { tokenId: token.id, error: String(err) });
      }
    }
  }

  private async merge(token: Token, seen: Map<string, number>, notify: boolean): Promise<void> {
    let current: Token | undefined = token;
    for (let attempt = 0; attempt < CAS_ATTEMPTS && current; attempt++) {
      const list = parseKnownIps(current.knownIps);
      const fresh = [...seen.keys()].filter((ip) => !list.includes(ip));
      if (fresh.length === 0) { this.remember(current.id, list); return; }
      const next = [...list, ...fresh].slice(-MAX_KNOWN_IPS);
      if (await this.d.store.compareAndSetKnownIps(current.id, current.knownIps, JSON.stringify(next))) {
        this.remember(current.id, next);
        const alerts = list.length === 0 ? fresh.slice(1) : fresh;
        if (notify) for (const ip of alerts) this.owe(current, ip, seen.get(ip) ?? this.d.clock.now());
        return;
      }
      // Another node changed the row first: look again (it may have recorded these IPs already).
      [current] = await this.d.store.getMany([current.id]);
    }
    if (current) this.d.logger.warn('Gave up recording token IPs after repeated conflicts', { tokenId: current.id });
  }

  /** Adds a recorded new IP to the mail owed about its token. */
  private owe(token: Token, ip: string, seenAt: number): void {
    let mail = this.owed.get(token.id);
    if (!mail) {
      if (this.owed.size >= MAX_OWED_TOKENS) {
        this.d.logger.warn('Too many new-IP mails owed; this one is not sent', { tokenId: token.id });
        return;
      }
      mail = { token, ips: [], more: 0 };
      this.owed.set(token.id, mail);
    }
    mail.token = token;
    if (mail.ips.some((e) => e.ip === ip)) return;
    if (mail.ips.length < MAX_IPS_PER_MAIL) mail.ips.push({ ip, seenAt });
    else mail.more++;
  }

  /**
   * Queues the owed mails whose token had none from this node within the interval. Once an IP is
   * recorded no later drain sees it as new, so a mail that cannot be queued now stays owed and
   * is tried again by the next drains (lost only if the node stops first).
   */
  private async sendOwed(): Promise<void> {
    const now = this.d.clock.now();
    // A mail time in the future (the clock was moved back) holds nothing: the hour would otherwise
    // last as long as the jump, and a token's new addresses would go unreported meanwhile.
    for (const [tokenId, at] of this.lastMailAt) if (now - at >= NEW_IP_MAIL_INTERVAL_MS || now < at) this.lastMailAt.delete(tokenId);
    for (const [tokenId, mail] of this.owed) {
      if (this.lastMailAt.has(tokenId)) continue;
      try {
        await this.d.mailer.notify(mail.token, { kind: 'new-ip', ips: [...mail.ips], more: mail.more });
      } catch (err) {
        this.d.logger.warn('Could not queue a new-IP mail; will retry', { tokenId, error: String(err) });
        return; // the outbox is down: the rest waits too
      }
      this.owed.delete(tokenId);
      this.lastMailAt.set(tokenId, now);
    }
  }

  private remember(tokenId: number, ips: readonly string[]): void {
    if (!this.known.has(tokenId) && this.known.size >= MAX_TRACKED_TOKENS) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
    this.known.set(tokenId, new Set(ips));
  }

  private requeue(batch: Map<number, Map<string, number>>): void {
    for (const [tokenId, seen] of batch) {
      const now = this.pending.get(tokenId);
      if (!now) { if (this.pending.size < MAX_PENDING_TOKENS) this.pending.set(tokenId, seen); continue; }
      for (const [ip, at] of seen) if (!now.has(ip)) now.set(ip, at);
    }
  }
}
