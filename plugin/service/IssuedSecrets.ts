import type { Clock, Logger } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { TokenStore } from '../ao/TokenStore';
import type { TokenMailNotice } from '../mail/TokenMailComposer';
import type { TokenMailer } from '../mail/TokenMailer';
import { ApiError } from '../errors/ApiError';
import type { Actor } from './Actor';
import { widestNetwork } from './clientKey';

export interface IssuedSecretsDeps {
  readonly store: Pick<TokenStore, 'get'>;
  readonly mailer: Pick<TokenMailer, 'notify'>;
  readonly logger: Logger;
  readonly clock: Clock;
}

/**
 * How long more regenerations of a token through the same token are audited but not mailed, as long
 * as each replaces the secret the one before it issued (nobody else regenerated the token between);
 * likewise more tokens created through the same token for the same recipient.
 */
export const REGENERATION_MAIL_WINDOW_MS = 60 * 60_000;
/** Mailed issues remembered at most; the oldest is forgotten first. */
const REMEMBERED = 10_000;

/**
 * Who a newly issued secret (a create or a regeneration) lands with, and whether its owner is told
 * that someone else may hold it: the two questions the token service asks of every issue.
 */
export class IssuedSecrets {
  /**
   * On this node, by issued token and issuer (the calling token, or the user without one): when
   * the last mailed regeneration was (host clock) and the public id of the secret the latest
   * regeneration by that issuer issued; by recipient, issuer and client: when the last mailed
   * creation was (no public id).
   */
  private readonly mailed = new Map<string, { readonly at: number; publicId: string }>();

  constructor(private readonly d: IssuedSecretsDeps) {}

  /**
   * Who receives the secret when not `ownerKey` (a user-less token: its creator); null: the owner.
   * Through a token whose own secret someone else holds (made or regenerated on its owner's
   * behalf), that holder: the calling token acts as its owner, but what it issues lands in the
   * holder's hands and must not escape the holder's rank by being issued "by the owner".
   */
  async holderFor(actor: Actor, ownerKey: string): Promise<string | null> {
    const via = actor.viaToken === null ? null : await this.d.store.get(actor.viaToken.id);
    // Read after the caller's check (CallerTokenCheck): a row regenerated since names the new
    // secret's holder, not the caller's, and the issue would escape the caller's (race review).
    // A row deleted since is the store's to find (ISSUER_GONE).
    if (via && via.publicId !== actor.viaToken?.publicId) throw new ApiError('TOKEN_AUTH_FAILED');
    const holder = via?.issuedTo ?? actor.user.key;
    return holder === ownerKey ? null : holder;
  }

  /**
   * Tells the owner of a newly issued secret when someone else may hold it: issued through an API
   * token (maybe a leaked one; the mail names it, as deleting it deletes this one too), or by
   * another user — an on-behalf manager or an administrator, with a password, in a session or
   * through their token — who now holds a secret acting as the owner. A user's own issues with a
   * password or in a session are not mailed. Not awaited: the answer does not wait for the mail.
   *
   * @param replacedPublicId for a regeneration, the public id of the secret it replaced (undefined: a create)
   */
  notifyOwner(actor: Actor, token: Token, at: number, replacedPublicId?: string): void {
    // A user-less token has no owner: the system admin who holds its secret is told instead.
    const to = token.userKey ?? token.issuedTo ?? token.createdBy;
    const viaToken = actor.viaToken;
    if (viaToken === null && to === actor.user.key) return;
    const regenerated = replacedPublicId !== undefined;
    // Whoever holds a token, or may manage others', could regenerate a token, or create and delete
    // tokens, over and over, a mail each time: the recipient has been told who does it (deleting
    // the calling token deletes what it issued); the audit log keeps every one (found by the
    // resource review of 2026-12-04 for creations). Creations from another client are news again:
    // a thief seldom shares the address of the script the first mail was about. An IPv6 client is
    // its /48 here, not its /64: a holder of a /48 (free from tunnel brokers) had 65,536 fresh
    // clients, a mail for each creation (attack review 24).
    const ip = actor.ip ?? 'unknown';
    const issuer = viaToken === null ? `u:${actor.user.key}` : String(viaToken.id);
    const key = regenerated ? `r:${token.id}:${issuer}` : `c:${to}:${issuer}:${widestNetwork(ip)}`;
    if (regenerated ? this.mailedRecently(key, at, replacedPublicId, token.publicId) : this.mailedRecently(key, at, null, '')) return;
    // The calling token and the address it came from are its owner's: another user (an on-behalf
    // manager) is named instead, not their token id or address (disclosure review of 2026-12-04).
    const notice: TokenMailNotice = viaToken !== null && to === actor.user.key
      ? { kind: 'issued-through-token', regenerated, viaTokenId: viaToken.id, ip, at }
      : { kind: 'issued-on-behalf', regenerated, byName: actor.user.displayName || actor.user.name, at };
    this.d.mailer.notify(token, notice, to).catch((err: unknown) => {
      // Not sent (the mail service or its database failed): the next such issue is mailed, not
      // counted as told already within the window (review 12).
      if (this.mailed.get(key)?.at === at) this.mailed.delete(key);
      this.d.logger.warn('Could not mail the owner of a token someone else issued', { tokenId: token.id, error: String((err as Error)?.message ?? err) });
    });
  }

  /**
   * For a regeneration, only when the replaced secret is the one the last regeneration through the
   * same token issued: a secret someone else issued meanwhile (the owner took the token back with a
   * password) is taken again through the calling token, which the owner must hear of. A creation
   * (`replacedPublicId` null) replaces nothing.
   */
  private mailedRecently(key: string, at: number, replacedPublicId: string | null, issuedPublicId: string): boolean {
    const last = this.mailed.get(key);
    if (last !== undefined && at - last.at < REGENERATION_MAIL_WINDOW_MS && at >= last.at && (replacedPublicId === null || last.publicId === replacedPublicId)) {
      last.publicId = issuedPublicId;
      return true;
    }
    // Kept in the order mailed, so the first entry is the oldest.
    this.mailed.delete(key);
    if (this.mailed.size >= REMEMBERED) this.mailed.delete(this.mailed.keys().next().value as string);
    this.mailed.set(key, { at, publicId: issuedPublicId });
    return false;
  }
}

