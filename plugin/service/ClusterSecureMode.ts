import type { ClusterMessage, ClusterMessagingService, Logger } from '../../host-sim/spi';
import { withDeadline } from './Deadline';

export const SECURE_MODE_CHANNEL = 'de.resolution.apitokenauth:secure-mode';
/** The longest a stopping node waits to say it leaves. */
export const LEAVE_WAIT_MS = 2000;

/**
 * How long a node started without secure mode waits, after asking, for the other nodes' answers
 * before it decides anything by secure mode: the question and the answer each reach a node within
 * one second on the change log (its documented bound; 250 ms by default).
 */
export const SECURE_MODE_ANSWER_WAIT_MS = 2000;

/** Whether secure mode holds (no change to a token after its creation, no snippets). */
export interface SecureMode {
  /** As known now; for what a page shows. A node that has just started may not know yet. */
  readonly on: boolean;
  /** For a decision: once the other nodes' answers to this node's start can have arrived. */
  current(): Promise<boolean>;
}

/**
 * A node's own setting, announced; `ask` when it starts or reads the log again after falling
 * behind (every node answers with its own); `leaving` when its plugin stops.
 */
interface SecureModeMessage {
  readonly on: boolean;
  readonly ask: boolean;
  readonly leaving: boolean;
}

function parse(payload: string): SecureModeMessage | null {
  try {
    const m = JSON.parse(payload) as Partial<SecureModeMessage> | null;
    if (!m || typeof m.on !== 'boolean' || typeof m.ask !== 'boolean' || typeof m.leaving !== 'boolean') return null;
    return { on: m.on, ask: m.ask, leaving: m.leaving };
  } catch {
    return null;
  }
}

/**
 * Secure mode across the cluster. `apitokenauth.secure.mode` is each node's own system property;
 * a node started without it would otherwise change, behind the load balancer, the very tokens
 * the other nodes protect. So it holds on every node while any node running the plugin has it:
 * each node announces its own setting on the change log when it starts (asking the others for
 * theirs), answers such questions, and says when it leaves. A node that died without leaving is
 * counted until it starts again or this node restarts (closed, not open). A mismatch is logged
 * as an error on both sides.
 */
export class ClusterSecureMode implements SecureMode {
  /** The other nodes last heard to have secure mode on. */
  private readonly onElsewhere = new Set<string>();
  /** The other nodes whose mismatch was logged, with the setting logged, so that each is logged once per change. */
  private readonly reported = new Map<string, boolean>();
  private readonly unregister: () => void;
  private readonly unregisterResync: () => void;
  private closed = false;
  /** Resolves once the other nodes can have answered this node's question at its start. */
  private answered: Promise<void> = Promise.resolve();
  private answerWait: { readonly timer: NodeJS.Timeout; readonly resolve: () => void } | null = null;

  /**
   * @param answerWaitMs how long decisions wait after the start for the other nodes' answers: 0
   *   where no other node can share the database (SQLite is one node; docs/data-center.md)
   */
  constructor(
    private readonly own: boolean,
    private readonly messaging: ClusterMessagingService,
    private readonly logger: Logger,
    private readonly answerWaitMs: number = SECURE_MODE_ANSWER_WAIT_MS,
  ) {
    this.unregister = messaging.registerListener(SECURE_MODE_CHANNEL, (message) => this.receive(message));
    // Announcements of the gap may have been pruned: ask every node again (what is known stays until
    // answered); should the question not go out, the node stays behind and asks at its next poll.
    this.unregisterResync = messaging.registerResyncListener(() => this.messaging.send(SECURE_MODE_CHANNEL, this.payload(true, false)));
  }

  get on(): boolean {
    return this.own || this.onElsewhere.size > 0;
  }

  /**
   * Decisions wait until the other nodes' answers can have arrived: a node (re)started without
   * the property would otherwise change, in its first few hundred milliseconds, the tokens another
   * node protects (closed until known, not open).
   */
  async current(): Promise<boolean> {
    if (!this.on) await this.answered;
    return this.on;
  }

  /** Announces this node's setting and asks the others for theirs. */
  async start(): Promise<void> {
    if (!this.own && this.answerWaitMs > 0) {
      this.answered = new Promise((resolve) => {
        const timer = setTimeout(() => {
          this.answerWait = null;
          resolve();
        }, this.answerWaitMs);
        timer.unref();
        this.answerWait = { timer, resolve };
      });
    }
    await this.send(true, false);
  }

  /**
   * Says this node leaves (its announcement no longer counts) and stops listening. Waits at most
   * {@link LEAVE_WAIT_MS} for the message: a stalled database must not hold up the plugin's stop
   * (unsaid, the other nodes keep counting this node until it starts again: closed, not open).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.endAnswerWait();
    this.unregister();
    this.unregisterResync();
    await withDeadline(this.messaging.send(SECURE_MODE_CHANNEL, this.payload(false, true)), LEAVE_WAIT_MS, 'The secure-mode leave message')
      .catch((err: unknown) => this.logger.warn('Could not tell the cluster that this node leaves', { error: String(err) }));
  }

  private endAnswerWait(): void {
    if (!this.answerWait) return;
    clearTimeout(this.answerWait.timer);
    this.answerWait.resolve();
    this.answerWait = null;
  }

  private payload(ask: boolean, leaving: boolean): string {
    const message: SecureModeMessage = { on: this.own, ask, leaving };
    return JSON.stringify(message);
  }

  private async send(ask: boolean, leaving: boolean): Promise<void> {
    try {
      await this.messaging.send(SECURE_MODE_CHANNEL, this.payload(ask, leaving));
    } catch (err) {
      this.logger.warn('Could not announce this node\'s secure mode to the cluster', { error: String(err) });
    }
  }

  private receive(message: ClusterMessage): void {
    if (message.fromNode === this.messaging.nodeId) return;
    const m = parse(message.payload);
    if (!m) return;
    const node = message.fromNode;
    if (m.on && !m.leaving) {
      this.onElsewhere.add(node);
      // Secure mode holds: no answer still to come can lift it, so decisions need not wait on.
      this.endAnswerWait();
    } else {
      this.onElsewhere.delete(node);
    }
    if (m.ask && !this.closed) void this.send(false, false);
    if (m.leaving || m.on === this.own) this.reported.delete(node);
    else this.report(node, m.on);
  }

  private report(node: string, on: boolean): void {
    if (this.reported.get(node) === on) return;
    this.reported.set(node, on);
    const message = on
      ? 'Node runs with secure mode and this node without it: secure mode holds here too while a node has it; set apitokenauth.secure.mode alike on every node'
      : 'Node runs without secure mode while this node has it: secure mode holds on that node too while this one runs; set apitokenauth.secure.mode alike on every node';
    this.logger.error(message, { otherNode: node, otherSecureMode: on, thisSecureMode: this.own });
  }
}
