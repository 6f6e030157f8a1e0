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
/** New-IP mails kept at most for a later drain while they cannot be queued; the oldest go first. */
const MAX_UNSENT_MAILS = 10_000;

/** A mail this node owes: the IP is recorded (its compare-and-set won), the mail not yet queued. */
interface UnsentMail {
  readonly token: Token;
  readonly ip: string;
  readonly seenAt: number;
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
 * from is recorded silently: it is the creator's own first use, not news.
 */
export class NewIpDetector {
  /** IPs known per token (seeded from KNOWN_IPS by the drain). */
  private readonly known = new Map<number, Set<string>>();
  /** Unknown IPs seen per token since the last drain, with the first time seen. */
  private pending = new Map<number, Map<string, number>>();
  private draining: Promise<void> | null = null;
  private unsent: UnsentMail[] = [];

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
    await this.sendUnsent();
    if (this.pending.size === 0) return;
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
        if (notify) for (const ip of alerts) await this.mail({ token: current, ip, seenAt: seen.get(ip) ?? this.d.clock.now() });
        return;
      }
      // Another node changed the row first: look again (it may have recorded these IPs already).
      [current] = await this.d.store.getMany([current.id]);
    }
    if (current) this.d.logger.warn('Gave up recording token IPs after repeated conflicts', { tokenId: current.id });
  }

  /**
   * Once the IP is recorded no later drain sees it as new, so a mail that cannot be queued now
   * is kept and sent again by the next drains (lost only if the node stops first).
   */
  private async mail(m: UnsentMail): Promise<boolean> {
    try {
      await this.d.mailer.notify(m.token, { kind: 'new-ip', ip: m.ip, seenAt: m.seenAt });
      return true;
    } catch (err) {
      if (this.unsent.length >= MAX_UNSENT_MAILS) this.unsent.shift();
      this.unsent.push(m);
      this.d.logger.warn('Could not queue a new-IP mail; will retry', { tokenId: m.token.id, error: String(err) });
      return false;
    }
  }

  private async sendUnsent(): Promise<void> {
    const owed = this.unsent;
    this.unsent = [];
    for (let i = 0; i < owed.length; i++) {
      if (await this.mail(owed[i])) continue;
      this.unsent.push(...owed.slice(i + 1)); // the outbox is down: the rest waits too
      return;
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
