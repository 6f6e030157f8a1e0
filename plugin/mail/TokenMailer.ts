import type { Logger, MailService, UserManager } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { TokenMailComposer, TokenMailNotice } from './TokenMailComposer';

/** What became of a mail to a token's owner. */
export type TokenMailOutcome = 'SENT' | 'NO_OWNER' | 'OWNER_DELETED' | 'OWNER_INACTIVE' | 'NO_EMAIL';

/**
 * Sends the plugin's mails to a token's owner through the host's MailService. Owners that
 * cannot be mailed (user-less token, deleted or inactive owner, no e-mail address) are
 * skipped and logged, never an error.
 */
export class TokenMailer {
  constructor(
    private readonly users: UserManager,
    private readonly mail: MailService,
    private readonly composer: TokenMailComposer,
    private readonly logger: Logger,
  ) {}

  /** `to`: the user mailed, by default the token's owner (for a user-less token: none, unless given). */
  async notify(token: Token, notice: TokenMailNotice, to: string | null = token.userKey): Promise<TokenMailOutcome> {
    const outcome = await this.deliver(token, notice, to);
    if (outcome === 'SENT') this.logger.info('Token mail sent', { tokenId: token.id, notice: notice.kind });
    else this.logger.info('Token mail skipped', { tokenId: token.id, notice: notice.kind, reason: outcome });
    return outcome;
  }

  private async deliver(token: Token, notice: TokenMailNotice, to: string | null): Promise<TokenMailOutcome> {
    if (to === null) return 'NO_OWNER';
    const owner = await this.users.getUserByKey(to);
    if (!owner) return 'OWNER_DELETED';
    if (!owner.active) return 'OWNER_INACTIVE';
    if (!owner.email || !owner.email.includes('@')) return 'NO_EMAIL';
    await this.mail.send(this.composer.compose(owner, token, notice));
    return 'SENT';
  }
}
