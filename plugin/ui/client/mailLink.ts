// The links of the plugin's mails into the token panel (plugin/mail/TokenMailComposer.ts):
// `<profile>?apitokenauth.rotate=<id>#apitokenauth-token-<id>` opens the panel with that
// token's row highlighted and its regenerate dialog open; the anchor alone only highlights.
// In Confluence the profile link is sent on to the Settings tab with its query, and the
// browser keeps the fragment across that redirect.

/** The query parameter that asks for the regenerate dialog. */
export const ROTATE_PARAM = 'apitokenauth.rotate';
const ANCHOR = /^#apitokenauth-token-(\d{1,15})$/;

/** The element id of a token's row on the profile panel (the mails' anchor). */
export function tokenRowId(id: number): string {
  return `apitokenauth-token-${id}`;
}

export interface LinkedToken {
  readonly id: number;
  /** The link asks for the regenerate dialog. */
  readonly regenerate: boolean;
}

/** The token a link points to, from the page's query and fragment; null when none (or malformed). */
export function linkedToken(search: string, hash: string): LinkedToken | null {
  const rotate = new URLSearchParams(search).get(ROTATE_PARAM);
  if (rotate !== null && /^\d{1,15}$/.test(rotate)) return { id: Number(rotate), regenerate: true };
  const anchor = ANCHOR.exec(hash);
  return anchor ? { id: Number(anchor[1]), regenerate: false } : null;
}

/** Drops the rotate parameter from the address (a reload must not open the dialog again); the anchor stays. */
export function forgetRegenerateRequest(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has(ROTATE_PARAM)) return;
  url.searchParams.delete(ROTATE_PARAM);
  window.history.replaceState(window.history.state, '', url.toString());
}

/** Marks a row as the linked one (and no other row); kept when the list is drawn again. */
export function markRow(row: HTMLElement): void {
  row.ownerDocument.querySelectorAll('.ata-row-highlight').forEach((other) => {
    if (other === row) return;
    other.classList.remove('ata-row-highlight');
    other.removeAttribute('aria-current');
  });
  row.classList.add('ata-row-highlight');
  row.setAttribute('aria-current', 'true');
  row.tabIndex = -1;
}

/** Marks a row, scrolls to it and moves focus to it (so screen readers announce it). */
export function highlightRow(row: HTMLElement): void {
  markRow(row);
  row.scrollIntoView({ block: 'center' });
  row.focus({ preventScroll: true });
}
