import { randomUUID } from 'node:crypto';
import type { ClusterMessage, ClusterMessagingService, Logger } from '../../host-sim/spi';

export const LAST_ACCESS_CHANNEL = 'de.resolution.apitokenauth:last-access-flush';

/** A node asks every node to flush; each answers that it started, then how it ended. */
type FlushMessage =
  | { readonly kind: 'request'; readonly round: string }
  | { readonly kind: 'flushing'; readonly round: string }
  | { readonly kind: 'flushed'; readonly round: string; readonly ok: boolean };

export interface ClusterFlushOptions {
  /**
   * How long the asking node waits, from the request being sent, for other nodes to answer that
   * they are flushing. A node reads the change log every second, but goes on serving tokens until
   * it is 5 s behind it (the host's default lag limit, ClusterMessagingService.isCurrent): the
   * window covers such a node's read and the answer's delivery back.
   */
  readonly answerWindowMs: number;
  /** How long it waits at most, from the request being sent, for the nodes that answered to finish. */
  readonly maxWaitMs: number;
}

export const DEFAULT_CLUSTER_FLUSH_OPTIONS: ClusterFlushOptions = { answerWindowMs: 7000, maxWaitMs: 60_000 };

interface Round {
  readonly flushing: Set<string>;
  readonly flushed: Map<string, boolean>;
  wake: () => void;
}

function parse(payload: string): FlushMessage | null {
  try {
    const m = JSON.parse(payload) as FlushMessage;
    if (!m || typeof m !== 'object' || typeof m.round !== 'string') return null;
    if (m.kind === 'request' || m.kind === 'flushing') return m;
    return m.kind === 'flushed' && typeof m.ok === 'boolean' ? m : null;
  } catch {
    return null;
  }
}

/**
 * Last-access times of every node in the database before a rule reads them: the unused-token
 * rule runs on one node, but each node keeps its uses in memory until its own flush. The node
 * that asks cannot list the cluster's nodes, so it waits {@link ClusterFlushOptions.answerWindowMs}
 * for answers and then for every node that answered; a node that answers later was not counted
 * (it flushes anyway, and its next flush is at most one job interval away).
 */
export class ClusterLastAccessFlush {
  private readonly rounds = new Map<string, Round>();
  private readonly unregister: () => void;
  private closed = false;

  constructor(private readonly messaging: ClusterMessagingService, private readonly flushLocal: () => Promise<void>,
    private readonly logger: Logger, private readonly options: ClusterFlushOptions = DEFAULT_CLUSTER_FLUSH_OPTIONS) {
    this.unregister = messaging.registerListener(LAST_ACCESS_CHANNEL, (message) => this.receive(message));
  }

  /**
   * Flushes this node and asks every other node to flush; true only when this node and every
   * node that answered wrote everything used before the call (false: a rule relying on the
   * times must not act on them now). Two rounds: the first waits the answer window to learn which
   * nodes there are; uses made during that window are only in memory, so a second round, which
   * waits for those nodes' answers only, writes them just before the rule reads (found by the
   * attack review of 2026-12-04: a token used during the window was pruned as unused).
   */
  async flushEverywhere(): Promise<boolean> {
    // Behind the change log, this node may neither be heard nor hear the answers.
    if (this.closed || !this.messaging.isCurrent()) return false;
    try {
      const first = await this.round(null);
      if (!first.ok || this.closed) return false;
      const second = await this.round(first.nodes);
      return second.ok && !this.closed;
    } catch (err) {
      this.logger.warn('Could not ask the other nodes to flush last-access data', { error: String(err) });
      return false;
    }
  }

  /**
   * One round: the request, this node's flush, then the answers — of every node that answers
   * within the window (`expected` null), or of the `expected` nodes (and any other that answers).
   */
  private async round(expected: ReadonlySet<string> | null): Promise<{ ok: boolean; nodes: ReadonlySet<string> }> {
    const id = randomUUID();
    const round: Round = { flushing: new Set(expected ?? []), flushed: new Map(), wake: () => undefined };
    this.rounds.set(id, round);
    try {
      await this.send({ kind: 'request', round: id });
      // From when the request is in the change log: writing it may take longer than the window
      // (a busy database), and no node can answer a request it cannot read yet.
      const started = Date.now();
      const local = await this.flushLocal().then(() => true, () => false);
      if (expected === null) await this.sleep(round, started + this.options.answerWindowMs, () => false);
      const done = () => [...round.flushing].every((node) => round.flushed.has(node));
      await this.sleep(round, started + this.options.maxWaitMs, done);
      const late = [...round.flushing].filter((node) => round.flushed.get(node) !== true);
      if (late.length > 0) this.logger.warn('Nodes did not flush last-access data in time', { nodes: late });
      return { ok: local && late.length === 0, nodes: new Set(round.flushing) };
    } finally {
      this.rounds.delete(id);
    }
  }

  close(): void {
    this.closed = true;
    this.unregister();
    for (const round of this.rounds.values()) round.wake();
  }

  private receive(message: ClusterMessage): void {
    if (message.fromNode === this.messaging.nodeId) return; // the asking node flushes itself
    const m = parse(message.payload);
    if (!m) return;
    if (m.kind === 'request') {
      void this.answer(m.round);
      return;
    }
    const round = this.rounds.get(m.round);
    if (!round) return;
    if (m.kind === 'flushing') round.flushing.add(message.fromNode);
    else round.flushed.set(message.fromNode, m.ok);
    round.wake();
  }

  private async answer(round: string): Promise<void> {
    try {
      await this.send({ kind: 'flushing', round });
      const ok = await this.flushLocal().then(() => true, () => false);
      await this.send({ kind: 'flushed', round, ok });
    } catch (err) {
      this.logger.warn('Could not answer a request to flush last-access data', { error: String(err) });
    }
  }

  private send(message: FlushMessage): Promise<void> {
    return this.messaging.send(LAST_ACCESS_CHANNEL, JSON.stringify(message));
  }

  /** Waits until `until` (epoch ms) or until `enough` holds after a message of the round arrived. */
  private async sleep(round: Round, until: number, enough: () => boolean): Promise<void> {
    while (!this.closed && !enough()) {
      const left = until - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        round.wake = () => { clearTimeout(timer); resolve(); };
      });
    }
  }
}
