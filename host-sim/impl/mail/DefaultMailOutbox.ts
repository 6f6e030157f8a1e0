// The host's mail queue: every mail is stored in HOST_MAIL; with an SMTP URL it is also
// delivered in the background and the outcome recorded. SMTP trouble never reaches the sender.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'winston';
import type { Clock } from '../../spi/Clock';
import type { MailMessage } from '../../spi/MailService';
import type { Database } from '../db/Database';
import type { MailOutbox, StoredMail } from '../HostRuntime';

interface MailRow {
  ID: number; CREATED: number; MAIL_TO: string; SUBJECT: string; BODY_TEXT: string; BODY_HTML: string | null;
  DELIVERED: number; DELIVERY_ERROR: string | null;
}

export class DefaultMailOutbox implements MailOutbox {
  private readonly transport: Transporter | null;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly nodeId: string,
    private readonly from: string,
    smtpUrl: string | undefined,
    private readonly logger: Logger,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  }

  async send(message: MailMessage): Promise<void> {
    const res = await this.db.execute(
      'INSERT INTO HOST_MAIL (CREATED, MAIL_TO, SUBJECT, BODY_TEXT, BODY_HTML, DELIVERED, DELIVERY_ERROR, NODE_ID) VALUES (?, ?, ?, ?, ?, 0, NULL, ?)',
      [this.clock.now(), message.to, message.subject, message.text, message.html ?? null, this.nodeId]);
    if (!this.transport) return;
    const delivery = this.deliver(res.insertId, message);
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  async list(): Promise<StoredMail[]> {
    const rows = await this.db.query<MailRow>(
      'SELECT ID, CREATED, MAIL_TO, SUBJECT, BODY_TEXT, BODY_HTML, DELIVERED, DELIVERY_ERROR FROM HOST_MAIL ORDER BY ID DESC LIMIT 500');
    return rows.map((r) => ({
      id: Number(r.ID), createdAt: Number(r.CREATED), to: r.MAIL_TO, subject: r.SUBJECT, text: r.BODY_TEXT,
      ...(r.BODY_HTML !== null ? { html: r.BODY_HTML } : {}),
      delivered: Number(r.DELIVERED) === 1, error: r.DELIVERY_ERROR,
    }));
  }

  async clear(): Promise<void> {
    await this.db.execute('DELETE FROM HOST_MAIL');
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    await this.flush();
    this.transport?.close();
  }

  private async deliver(id: number, message: MailMessage): Promise<void> {
    let error: string | null = null;
    try {
      await this.transport!.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
    } catch (err) {
      error = String((err as Error)?.message ?? err).slice(0, 1000);
      this.logger.warn('Mail delivery failed', { mailId: id, error });
    }
    try {
      await this.db.execute('UPDATE HOST_MAIL SET DELIVERED = ?, DELIVERY_ERROR = ? WHERE ID = ?', [error ? 0 : 1, error, id]);
    } catch (err) {
      this.logger.warn('Could not record mail delivery', { mailId: id, error: String((err as Error)?.message ?? err) });
    }
  }
}
