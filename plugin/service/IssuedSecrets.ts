import type { Logger } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { TokenStore } from '../ao/TokenStore';
import type { TokenMailer } from '../mail/TokenMailer';
import type { Actor } from './Actor';

export interface IssuedSecretsDeps {
  readonly store: Pick<TokenStore, 'get'>;
  readonly mailer: Pick<TokenMailer, 'notify'>;
  readonly logger: Logger;
}

/**
 * Who a newly issued secret (a create or a regeneration) lands with, and who is told when it was
 * issued through an API token: the two questions the token service asks of every issue.
 */
export class IssuedSecrets {
  constructor(private readonly d: IssuedSecretsDeps) {}

  /**
   * Who receives the secret when not `ownerKey` (a user-less token: its creator); null: the owner.
   * Through a token whose own secret someone else holds (made or regenerated on its owner's
   * behalf), that holder: the calling token acts as its owner, but what it issues lands in the
   * holder's hands and must not escape the holder's rank by being issued "by the owner".
   */
  async holderFor(actor: Actor, ownerKey: string): Promise<string | null> {
    const via = actor.viaToken === null ? null : await this.d.store.get(actor.viaToken.id);
    const holder = via?.issuedTo ?? actor.user.key;
    return holder === ownerKey ? null : holder;
  }

  /**
   * Through an API token, maybe a leaked one: the owner is told which token issued the secret
   * (deleting that one deletes this one too). Not awaited: the answer does not wait for the mail.
   */
  notifyIfThroughToken(actor: Actor, token: Token, regenerated: boolean, at: number): void {
    if (!actor.viaToken) return;
    // A user-less token has no owner: the system admin who holds its secret is told instead.
    const to = token.userKey ?? token.issuedTo ?? token.createdBy;
    this.d.mailer.notify(token, { kind: 'issued-through-token', regenerated, viaTokenId: actor.viaToken.id, ip: actor.ip ?? 'unknown', at }, to).catch((err: unknown) => {
      this.d.logger.warn('Could not mail the owner of a token issued through a token', { tokenId: token.id, error: String((err as Error)?.message ?? err) });
    });
  }
}
