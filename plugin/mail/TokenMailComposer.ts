import type { HostUser, I18nResolver, MailMessage, Product } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import { escapeHtml } from '../ui/html';
import { UNSAFE_CHARACTERS } from '../validation/unsafeCharacters';

/** What a mail to a token's owner is about. */
export type TokenMailNotice =
  | { readonly kind: 'expiring'; readonly days: number }
  | { readonly kind: 'expired' }
  /** Used from IPs it had not been used from: the first ones named with when each was first seen, `more` counted. */
  | { readonly kind: 'new-ip'; readonly ips: ReadonlyArray<{ readonly ip: string; readonly seenAt: number }>; readonly more: number }
  /** Revoked by whoever held it, through the unauthenticated revocation API (docs/api.md). */
  | { readonly kind: 'revoked'; readonly ip: string; readonly at: number }
  /**
   * Created or regenerated through an API token (`viaTokenId`): what a thief holding a leaked
   * token does to keep access once it is revoked; the owner learns which token to delete.
   */
  | { readonly kind: 'issued-through-token'; readonly regenerated: boolean; readonly viaTokenId: number; readonly ip: string; readonly at: number }
  /**
   * Created or regenerated for the owner by another user (on their behalf) through that user's
   * own API token: the owner is told by whom, never that user's token id or address, which are
   * theirs (found by the disclosure review of 2026-12-04).
   */
  | { readonly kind: 'issued-on-behalf'; readonly regenerated: boolean; readonly byName: string; readonly at: number };

/**
 * The page that shows the owner's tokens: Jira's profile, Confluence's profile Settings tab (its
 * Profile tab shows no panels, so an owner following an alert there found no token to delete).
 */
const PANEL_PATH: Record<Product, string> = { jira: '/secure/ViewProfile.jspa', confluence: '/users/viewmysettings.action' };
const PRODUCT_NAME: Record<Product, string> = { jira: 'Jira', confluence: 'Confluence' };
const K = 'apitokenauth.mail.';

interface Paragraph {
  readonly text: string;
  readonly link?: string;
}

/** Line breaks, other controls and bidirectional marks, which a display name may hold (the directory takes any text). */
const NOT_ON_ONE_LINE = new RegExp(`[${UNSAFE_CHARACTERS}]+`, 'g');

/**
 * The owner's display name for the greeting, kept on its line: a name with line breaks would
 * otherwise add paragraphs of its own to the plain-text part of a security alert ("false
 * positive, re-enable it here: …"; found by the attack review of 2026-12-04).
 */
function greetingName(owner: HostUser): string {
  return oneLine(owner.displayName ?? '') || owner.name;
}

/** Directory text (a display name) kept on one line. */
function oneLine(text: string): string {
  return text.replace(NOT_ON_ONE_LINE, ' ').replace(/ {2,}/g, ' ').trim();
}

/** `de_DE` → `de-DE`; anything Intl does not accept → the bundle's locale. */
function intlLocale(userLocale: string, fallback: string): string {
  const tag = userLocale.replace(/_/g, '-');
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0 ? tag : fallback;
  } catch {
    return fallback;
  }
}

/**
 * Builds the plugin's mails to token owners: localised (the owner's locale) plain text and
 * HTML, naming the token by description and id (never the secret), its expiry in the owner's
 * time zone, and links to the profile page and to rotating the token.
 */
export class TokenMailComposer {
  constructor(private readonly i18n: I18nResolver, private readonly product: Product, private readonly baseUrl: string) {}

  /** The profile page that lists the owner's tokens. */
  profileUrl(): string {
    return `${this.baseUrl}${PANEL_PATH[this.product]}`;
  }

  /**
   * The profile page with one token's row highlighted (`#apitokenauth-token-<id>`) and its
   * regenerate dialog open (`?apitokenauth.rotate=<id>`; plugin/ui/client/mailLink.ts).
   */
  rotateUrl(tokenId: number): string {
    return `${this.profileUrl()}?apitokenauth.rotate=${encodeURIComponent(String(tokenId))}#apitokenauth-token-${tokenId}`;
  }

  compose(owner: HostUser, token: Token, notice: TokenMailNotice): MailMessage {
    const locale = this.i18n.resolveLocale(undefined, owner.locale);
    const t = (key: string, ...args: Array<string | number>) => this.i18n.getText(locale, K + key, ...args);
    const when = (ms: number) => this.formatTime(ms, owner, locale);
    const name = token.description;
    const id = String(token.id);
    let subject: string;
    const body: Paragraph[] = [{ text: t('greeting', greetingName(owner)) }];
    switch (notice.kind) {
      case 'expiring':
        subject = notice.days === 1 ? t('expiring.subject.oneDay', name) : t('expiring.subject', name, notice.days);
        body.push({ text: t('expiring.body', name, id, when(token.validUntil)) }, { text: t('expiring.hint') });
        break;
      case 'expired':
        subject = t('expired.subject', name);
        body.push({ text: t('expired.body', name, id, when(token.validUntil)) }, { text: t('expired.hint') });
        break;
      case 'new-ip': {
        const [first] = notice.ips;
        if (notice.ips.length === 1 && notice.more === 0) {
          subject = t('newIp.subject', name);
          body.push({ text: t('newIp.body', name, id, first.ip, when(first.seenAt)) });
        } else {
          const count = notice.ips.length + notice.more;
          subject = t('newIp.many.subject', name, count);
          body.push({ text: t('newIp.many.body', name, id, count) });
          for (const e of notice.ips) body.push({ text: t('newIp.many.line', e.ip, when(e.seenAt)) });
          if (notice.more > 0) body.push({ text: t('newIp.many.more', notice.more) });
        }
        body.push({ text: t('newIp.hint') });
        break;
      }
      case 'revoked':
        subject = t('revoked.subject', name);
        body.push({ text: t('revoked.body', name, id, when(notice.at), notice.ip) }, { text: t('revoked.hint') });
        break;
      case 'issued-through-token': {
        const what = notice.regenerated ? 'regenerated' : 'created';
        subject = t(`issued.${what}.subject`, name);
        body.push({ text: t(`issued.${what}.body`, name, id, when(notice.at), String(notice.viaTokenId), notice.ip) }, { text: t('issued.hint', String(notice.viaTokenId)) });
        break;
      }
      case 'issued-on-behalf': {
        const what = notice.regenerated ? 'regenerated' : 'created';
        subject = t(`issued.onBehalf.${what}.subject`, name);
        body.push({ text: t(`issued.onBehalf.${what}.body`, name, id, when(notice.at), oneLine(notice.byName)) }, { text: t('issued.onBehalf.hint') });
        break;
      }
    }
    // A revoked token is gone: nothing to regenerate. An expired one can still be regenerated
    // (by its owner, signed in): the link opens the profile with its regenerate dialog. A token
    // issued through a leaked one is deleted with it, not regenerated.
    if (notice.kind === 'expiring' || notice.kind === 'expired' || notice.kind === 'new-ip') body.push({ text: t('action.rotate'), link: this.rotateUrl(token.id) });
    body.push({ text: t('action.profile'), link: this.profileUrl() }, { text: t('footer', PRODUCT_NAME[this.product]) });
    return { to: owner.email, subject, text: this.text(body), html: this.html(subject, body, locale) };
  }

  private text(body: readonly Paragraph[]): string {
    return `${body.map((p) => (p.link ? `${p.text}: ${p.link}` : p.text)).join('\n\n')}\n`;
  }

  private html(subject: string, body: readonly Paragraph[], locale: string): string {
    const paragraphs = body.map((p) => (p.link
      ? `<p>${escapeHtml(p.text)}: <a href="${escapeHtml(p.link)}">${escapeHtml(p.link)}</a></p>`
      : `<p>${escapeHtml(p.text)}</p>`));
    return `<!DOCTYPE html>\n<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`
      + `<body>\n${paragraphs.join('\n')}\n</body></html>\n`;
  }

  private formatTime(ms: number, owner: HostUser, locale: string): string {
    const options: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeStyle: 'short' };
    const tag = intlLocale(owner.locale, locale);
    try {
      return `${new Intl.DateTimeFormat(tag, { ...options, timeZone: owner.timeZone }).format(ms)} (${owner.timeZone})`;
    } catch {
      return `${new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' }).format(ms)} (UTC)`;
    }
  }
}
