// Regenerate = renew (`POST …/user/token/{id}/rotate`): a dialog that gives a token a new
// secret and a new expiry, chosen as on create (months preset to the server's default, or a
// day; above the maximum is flagged, not cut), then the new secret shown once. Used by the
// profile panel and, for administrators, by the Token Manager (`regenerateAction`).
//
// Expired tokens: the server regenerates them for a person signed in with a password or a
// session and refuses it through an API token (TOKEN_EXPIRED). The pages are always signed in
// by session (tokens work on REST only), so the action is offered on expired tokens too and
// the server has the last word: its refusal is shown in the dialog.
import { ApiCallError, fieldsOnlyMessage } from './api';
import type { PageContext } from './context';
import { Dialog } from './dialogs';
import { h, uid } from './dom';
import { focusFirstInvalid, showFieldErrors } from './forms';
import { flag, showMessage } from './messages';
import { showNewToken } from './newTokenDialog';
import type { RowAction } from './tokenTable';
import type { CreatedToken, ListedToken } from './types';
import { validityFields } from './validityFields';

export interface RegenerateOptions {
  /** The owner as shown to an administrator; absent for the user's own token and for a user-less one. */
  readonly ownerLabel?: string;
  /** A token without a user (system administrators, Token Manager). */
  readonly userless?: boolean;
  readonly returnFocus?: HTMLElement | null;
}

/** The dialog alone: resolves with the regenerated token (plain secret included), or undefined when cancelled. */
export function openRegenerateDialog(ctx: PageContext, token: ListedToken, options: RegenerateOptions = {}): Promise<CreatedToken | undefined> {
  const { t, clock, config } = ctx;
  const expired = token.validUntil <= clock.now();
  const dialog = new Dialog<CreatedToken>({ title: t('regenerate.title'), size: 'medium', returnFocus: options.returnFocus, role: 'regenerate-token' });
  const formId = uid('regenerate-form');
  const messages = h('div', { class: 'ata-messages' });
  const validity = validityFields(ctx);
  const form = h('form', { class: 'aui top-label ata-regenerate-form', id: formId, novalidate: true },
    messages,
    h('p', { dataset: { role: 'intro' } }, introText(ctx, token, options)),
    expired
      ? h('div', { class: 'aui-message aui-message-info', dataset: { role: 'expired' } }, h('p', {}, t('regenerate.expired', clock.formatRelative(token.validUntil))))
      : h('p', { class: 'ata-subtle', dataset: { role: 'current-expiry' } }, t('regenerate.currentExpiry', clock.formatDateTime(token.validUntil))),
    validity.element);
  validity.element.querySelector('legend span')!.textContent = t('regenerate.newExpiry');
  dialog.content.appendChild(form);
  const submit = h('button', { type: 'submit', form: formId, class: 'aui-button aui-button-primary', dataset: { action: 'regenerate' } }, t('regenerate.submit'));
  dialog.actions.appendChild(submit);
  dialog.button(t('common.cancel'), 'link', () => { void dialog.cancel(); }, { 'data-action': 'cancel' });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = validity.read();
    showMessage(messages, 'error', '');
    showFieldErrors(validity.targets, 'errors' in chosen ? chosen.errors : {});
    if ('errors' in chosen) {
      focusFirstInvalid(form);
      return;
    }
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    ctx.api.call<CreatedToken>('POST', `${config.restBase}/user/token/${encodeURIComponent(token.id)}/rotate`, chosen.body).then((created) => {
      dialog.close(created);
    }, (err: unknown) => {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
      const failure = err instanceof ApiCallError ? err : new ApiCallError(0, t('error.unexpected'));
      const unmatched = showFieldErrors(validity.targets, failure.fieldErrors);
      showMessage(messages, 'error', fieldsOnlyMessage(t, failure, unmatched));
      focusFirstInvalid(form);
    });
  });
  dialog.show();
  setTimeout(() => validity.months.input.focus(), 0);
  return dialog.result;
}

function introText({ t }: PageContext, token: ListedToken, options: RegenerateOptions): string {
  if (options.userless) return t('regenerate.introUserless', token.description);
  return options.ownerLabel ? t('regenerate.introFor', token.description, options.ownerLabel) : t('regenerate.intro', token.description);
}

export interface RegenerateFlowOptions extends RegenerateOptions {
  /** The owner's user name (Basic snippets of the new token); null for a user-less token. */
  readonly username: string | null;
  /** Reloads the list after the token was regenerated. */
  readonly reload: () => Promise<void>;
}

/** The whole flow: the dialog, the list reloaded, a flag, and the new secret shown once. True when regenerated. */
export async function regenerateToken(ctx: PageContext, token: ListedToken, options: RegenerateFlowOptions): Promise<boolean> {
  const { t, clock } = ctx;
  const created = await openRegenerateDialog(ctx, token, options);
  if (!created) return false;
  await options.reload();
  flag('success', t('profile.regenerated', token.description, clock.formatDateTime(created.tokenExpirationDateTimeMillis)));
  const title = options.username === null ? t('newToken.regeneratedTitleUserless')
    : options.ownerLabel ? t('newToken.regeneratedTitleFor', options.ownerLabel) : t('newToken.regeneratedTitle');
  // The row was rebuilt by the reload: focus returns to its new Regenerate button, or its actions menu, when there is one.
  const row = `tr[data-token-id="${token.id}"]`;
  const again = document.querySelector<HTMLElement>(`${row} button[data-action=regenerate], ${row} [data-role=row-actions]`);
  await showNewToken(ctx, created, { title, username: options.username, returnFocus: again ?? options.returnFocus });
  return true;
}

export interface RegenerateActionOptions<T extends ListedToken> {
  /** The owner's user name; null for a user-less token; undefined (no action) when the owner is unknown. */
  readonly username: (row: T) => string | null | undefined;
  /** The owner as named to an administrator (Token Manager); absent on the profile panel. */
  readonly ownerLabel?: (row: T) => string;
  readonly reload: () => Promise<void>;
}

/**
 * The Regenerate row action for a `TokenTable` (profile panel, Token Manager). Not in secure
 * mode, where a token cannot change after creation; offered on expired tokens (see above).
 */
export function regenerateAction<T extends ListedToken>(ctx: PageContext, options: RegenerateActionOptions<T>): RowAction<T> {
  const { t, config } = ctx;
  return {
    id: 'regenerate',
    label: t('profile.regenerate'),
    ariaLabel: (row) => (options.ownerLabel ? t('admin.regenerateLabel', row.description, options.ownerLabel(row)) : t('profile.regenerateLabel', row.description)),
    visible: (row) => !config.access.secureMode && options.username(row) !== undefined,
    run: (row, button) => {
      const username = options.username(row)!;
      void regenerateToken(ctx, row, {
        username, userless: username === null, ownerLabel: username === null ? undefined : options.ownerLabel?.(row), reload: options.reload, returnFocus: button,
      });
    },
  };
}
