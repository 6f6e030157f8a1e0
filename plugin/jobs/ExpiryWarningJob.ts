import type { Clock, Logger } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { ExpiryCursor, TokenMaintenanceStore } from '../ao/TokenMaintenanceStore';
import type { TokenMailer } from '../mail/TokenMailer';
import type { SettingsService } from '../service/SettingsService';
import { DAY_MS, dueNotice, parseNotificationState, serialiseNotificationState } from './ExpiryNotices';

/** Tokens that expired longer ago than this get no expiry notice any more (e.g. after downtime). */
export const EXPIRED_NOTICE_WINDOW_MS = 7 * DAY_MS;
const PAGE = 500;

export interface ExpiryWarningJobDeps {
  readonly store: TokenMaintenanceStore;
  readonly settings: SettingsService;
  readonly mailer: TokenMailer;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** What one run did (for logs and tests). */
export interface ExpiryRunResult {
  readonly examined: number;
  readonly mailed: number;
  /** Notices another node recorded first (its compare-and-set won). */
  readonly lostRaces: number;
}

/**
 * The `expiry-warning-job` (once per cluster, hourly): mails each token's owner at every
 * `expiryWarningDays` mark and once on expiry. Each notice is claimed with a compare-and-set
 * on the token's NOTIFICATION_STATE before the mail goes out, so it is sent once per token and
 * mark even when nodes race or restart.
 */
export class ExpiryWarningJob {
  constructor(private readonly d: ExpiryWarningJobDeps) {}

  async run(): Promise<ExpiryRunResult> {
    const settings = await this.d.settings.get();
    const marks = settings.expiryWarningDays;
    const now = this.d.clock.now();
    const horizon = now + Math.max(0, ...marks) * DAY_MS;
    let cursor: ExpiryCursor | null = null;
    let examined = 0;
    let mailed = 0;
    let lostRaces = 0;
    for (;;) {
      const page: Token[] = await this.d.store.findExpiringBetween(now - EXPIRED_NOTICE_WINDOW_MS, horizon, cursor, PAGE);
      for (const token of page) {
        examined++;
        const due = dueNotice(token, parseNotificationState(token.notificationState), marks, now);
        if (!due) continue;
        const claimed = await this.d.store.compareAndSetNotificationState(token.id, token.notificationState, serialiseNotificationState(due.next), token.validUntil);
        if (!claimed) { lostRaces++; continue; }
        if (await this.send(token, due.notice)) mailed++;
      }
      if (page.length < PAGE) break;
      const last = page[page.length - 1];
      cursor = { validUntil: last.validUntil, id: last.id };
    }
    this.d.logger.info('Expiry warning run finished', { examined, mailed, lostRaces });
    return { examined, mailed, lostRaces };
  }

  private async send(token: Token, notice: Parameters<TokenMailer['notify']>[1]): Promise<boolean> {
    try {
      return (await this.d.mailer.notify(token, notice)) === 'SENT';
    } catch (err) {
      // The claim stays: a notice may be lost when the outbox is down, but it is never sent twice.
      this.d.logger.warn('Could not queue a token expiry mail', { tokenId: token.id, error: String(err) });
      return false;
    }
  }
}
