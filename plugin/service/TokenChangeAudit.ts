import type { AuditEvent, AuditService, Logger } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { AuditSource } from './TokenAuditEvents';
import { TokenAuditEvents } from './TokenAuditEvents';

/**
 * Writes the audit events of token changes for the token and incident services. The change is
 * committed already: an audit log that cannot be written is logged as an error and does not undo it.
 */
export class TokenChangeAudit {
  constructor(private readonly d: { readonly audit: AuditService; readonly logger: Logger }) {}

  async record(event: AuditEvent): Promise<void> {
    try {
      await this.d.audit.record(event);
    } catch (err) {
      this.d.logger.error('Could not write an audit event', { action: event.action, error: String(err) });
    }
  }

  /** Several events in one write (a bulk change). */
  async recordAll(events: readonly AuditEvent[]): Promise<void> {
    try {
      await this.d.audit.recordAll(events);
    } catch (err) {
      this.d.logger.error('Could not write audit events', { action: events[0]?.action, events: events.length, error: String(err) });
    }
  }

  /** One `token deleted` event per token that went with the token it was issued through. */
  async revokedWith(tokens: readonly Token[], by: AuditSource): Promise<void> {
    for (const t of tokens) await this.record(TokenAuditEvents.deleted(t, by, t.issuedVia ?? undefined));
  }
}
