/** A mail to send. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/**
 * The host's mail queue. Every mail is kept in the host's outbox table (the dev toolbox
 * lists it) and, when `SMTP_URL` is configured, delivered over SMTP.
 */
export interface MailService {
  send(message: MailMessage): Promise<void>;
}
