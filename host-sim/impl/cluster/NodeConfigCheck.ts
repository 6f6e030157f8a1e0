// Each node reads its own environment and host.properties, so one node of a cluster can run with
// websudo off, another list of trusted proxies (whose clients then choose their own address), a
// laxer failed-login limit, the dev toolbox on or an http base URL among nodes behind TLS (its
// session cookie without `Secure`): the cluster is as weak as its weakest node,
// and nothing said so. A starting node announces the settings every node must share; each node
// compares them with its own and logs an error per difference (the others answer a start with
// theirs, so the new node learns of a difference too). A log line, not a refusal: a rolling
// change of a setting passes through nodes that differ for a while.
import type { Logger } from 'winston';
import { webSudoEnabled } from '../../auth/webSudo';
import type { ClusterMessage, ClusterMessagingService } from '../../spi/ClusterMessagingService';
import { trustedProxiesOf } from '../../web/requestContext';
import type { HostConfig } from '../HostRuntime';

/** The channel of the settings' announcements: a start, and each running node's answer to it. */
export const NODE_CONFIG_CHANNEL = 'host.node-config';

/** The settings every node of a cluster must share, as text (compared field by field). */
export interface SharedNodeSettings {
  readonly product: string;
  readonly websudo: string;
  readonly trustedProxies: string;
  readonly maxFailedLogins: string;
  readonly devMode: string;
  /** Whether the base URL is https, which makes the session cookie `Secure` (see auth/cookies). */
  readonly secureCookie: string;
}

interface Announcement {
  readonly kind: 'start' | 'answer';
  readonly settings: SharedNodeSettings;
}

export function sharedNodeSettings(config: HostConfig): SharedNodeSettings {
  return {
    product: config.product,
    websudo: webSudoEnabled(config.systemProperties) ? 'on' : 'off',
    // Read by the parser the requests use: a second reading of the list told spellings apart.
    trustedProxies: trustedProxiesOf(config.systemProperties['hostsim.trusted.proxies'] ?? '').canonical || '(none)',
    maxFailedLogins: String(config.maxFailedLogins),
    devMode: config.devMode ? 'on' : 'off',
    secureCookie: /^https:/i.test(config.baseUrl) ? 'on' : 'off',
  };
}

function readAnnouncement(payload: string): Announcement | null {
  try {
    const value = JSON.parse(payload) as Partial<Announcement>;
    if ((value.kind !== 'start' && value.kind !== 'answer') || typeof value.settings !== 'object' || value.settings === null) return null;
    return value as Announcement;
  } catch {
    return null;
  }
}

export class NodeConfigCheck {
  /** `node field theirs` already reported: each difference once per node and value. */
  private readonly reported = new Set<string>();
  private unregister: (() => void) | null = null;

  constructor(private readonly messaging: ClusterMessagingService, private readonly settings: SharedNodeSettings, private readonly logger: Logger) {}

  async start(): Promise<void> {
    this.unregister = this.messaging.registerListener(NODE_CONFIG_CHANNEL, (message) => this.received(message));
    await this.announce('start');
  }

  close(): void {
    this.unregister?.();
    this.unregister = null;
  }

  private received(message: ClusterMessage): void {
    if (message.fromNode === this.messaging.nodeId) return;
    const announcement = readAnnouncement(message.payload);
    if (!announcement) return;
    for (const field of Object.keys(this.settings) as Array<keyof SharedNodeSettings>) {
      const theirs = String(announcement.settings[field] ?? '(unknown)');
      const ours = this.settings[field];
      const key = `${message.fromNode}\u0000${field}\u0000${theirs}`;
      if (theirs === ours || this.reported.has(key)) continue;
      this.reported.add(key);
      this.logger.error('Another node of the cluster runs with a different setting: every node needs the same one, or the cluster is as weak as its weakest node',
        { otherNode: message.fromNode, setting: field, thisNode: ours, otherNodeValue: theirs });
    }
    if (announcement.kind === 'start') {
      this.announce('answer').catch((err: unknown) => {
        this.logger.warn('Could not answer another node\'s settings', { error: String((err as Error)?.message ?? err) });
      });
    }
  }

  private announce(kind: Announcement['kind']): Promise<void> {
    return this.messaging.send(NODE_CONFIG_CHANNEL, JSON.stringify({ kind, settings: this.settings } satisfies Announcement));
  }
}
