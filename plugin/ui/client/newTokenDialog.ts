// A new (or rotated) token, shown once: the token with one primary Copy button, the facts, and
// ready-to-run snippets under a disclosure (built by the server's own snippets/CodeSnippets.ts;
// none in secure mode). Closing before the token was copied asks for confirmation.
import { buildSnippets } from '../../snippets/CodeSnippets';
import type { PageContext } from './context';
import { confirmDialog, Dialog } from './dialogs';
import { h } from './dom';
import { Field } from './forms';
import { scopeLabel } from './tokenCells';
import type { CreatedToken } from './types';

/** Copies text: the asynchronous clipboard API, else a hidden text area and `execCommand('copy')`. */
export async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the old way
    }
  }
  const area = h('textarea', { class: 'ata-offscreen', readonly: true, 'aria-hidden': 'true', tabindex: '-1' });
  area.value = text;
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  area.remove();
  return ok;
}

export interface NewTokenOptions {
  readonly title: string;
  /** The owner's user name (Basic snippets); null for a user-less token (a placeholder, Basic only). */
  readonly username: string | null;
  readonly returnFocus?: HTMLElement | null;
}

export async function showNewToken(ctx: PageContext, created: CreatedToken, options: NewTokenOptions): Promise<void> {
  const { t, config, clock } = ctx;
  const token = created.plainTextToken;
  let copied = false;
  const dialog: Dialog<true> = new Dialog<true>({
    title: options.title, size: 'medium', returnFocus: options.returnFocus, role: 'new-token',
    beforeCancel: async () => copied || confirmDialog(t, {
      title: t('newToken.notCopiedTitle'), message: t('newToken.notCopiedConfirm'), confirmLabel: t('newToken.closeWithoutCopying'),
      danger: true, returnFocus: dialog.element.querySelector<HTMLElement>('[data-action=copy-token]'), role: 'not-copied',
    }),
  });
  const status = h('span', { class: 'ata-copy-status', role: 'status' });
  const markCopied = (ok: boolean): void => {
    if (ok) copied = true;
    status.textContent = ok ? t('common.copied') : t('common.copyFailed');
  };
  const input = h('input', {
    class: 'text ata-token-value', type: 'text', readonly: true, name: 'plainTextToken', value: token, spellcheck: 'false', autocomplete: 'off',
  });
  input.addEventListener('focus', () => input.select());
  const copyButton = h('button', { type: 'button', class: 'aui-button aui-button-primary', dataset: { action: 'copy-token' }, autofocus: true }, t('newToken.copy'));
  copyButton.addEventListener('click', () => { void copyText(token).then(markCopied); });
  // Copying by hand (Ctrl+C in the field) counts as well.
  dialog.element.addEventListener('copy', () => { if (window.getSelection()?.toString().includes(token) || input.selectionEnd !== input.selectionStart) copied = true; });

  const facts = [options.username === null ? t('newToken.userless') : t('newToken.forUser', options.username)];
  if (created.tokenExpirationDateTimeMillis) facts.push(t('newToken.expires', clock.formatDateTime(created.tokenExpirationDateTimeMillis)));
  facts.push(t('newToken.scope', scopeLabel(ctx, created.tokenScope)));

  const tokenField = new Field(t('newToken.tokenLabel'), input, { extra: h('div', { class: 'ata-token-copy' }, copyButton, status) });
  const form = h('form', { class: 'aui top-label', novalidate: true, onsubmit: (e: Event) => e.preventDefault() },
    h('div', { class: 'aui-message aui-message-warning', role: 'status' }, h('p', {}, t('newToken.onlyOnce'))),
    tokenField.group,
    h('p', { class: 'ata-subtle', dataset: { role: 'facts' } }, facts.join(' · ')));
  dialog.content.appendChild(form);

  if (config.access.secureMode) {
    dialog.content.appendChild(h('p', { class: 'description', dataset: { role: 'secure-mode' } }, t('newToken.secureModeNoSnippets')));
  } else {
    const snippets = buildSnippets({
      product: config.product, baseUrl: config.baseUrl, authSchemes: config.access.authSchemes,
      userName: options.username, plainToken: token, userless: options.username === null,
    });
    const labels: Record<string, string> = {
      'curl-basic': t('snippet.curlBasic'), 'js-basic': t('snippet.jsBasic'), 'curl-bearer': t('snippet.curlBearer'), 'js-bearer': t('snippet.jsBearer'),
    };
    dialog.content.appendChild(h('details', { class: 'ata-snippets', dataset: { role: 'snippets' } },
      h('summary', {}, t('snippet.title')),
      ...snippets.map((snippet) => {
        const copy = h('button', { type: 'button', class: 'aui-button aui-button-compact', 'aria-label': t('snippet.copyLabel', labels[snippet.id]) }, t('snippet.copy'));
        copy.addEventListener('click', () => { void copyText(snippet.code).then(markCopied); });
        return h('div', { class: 'ata-snippet-block' },
          h('div', { class: 'ata-snippet-head' }, h('span', {}, labels[snippet.id]), copy),
          h('pre', { class: 'ata-snippet', tabindex: '0', 'aria-label': labels[snippet.id], dataset: { snippet: snippet.id } }, h('code', {}, snippet.code)));
      })));
  }
  dialog.button(t('newToken.done'), 'default', () => { void dialog.cancel(); }, { 'data-action': 'done' });
  dialog.show();
  await dialog.result;
}
