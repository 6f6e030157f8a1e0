// The profile page's API token panel: the user's own tokens (sortable), create, edit,
// regenerate, delete and delete all. A mail's link (`?apitokenauth.rotate=<id>`,
// `#apitokenauth-token-<id>`) highlights that token's row and opens its regenerate dialog.
import { ApiCallError } from './api';
import { pageContext, type PageContext } from './context';
import { openCreateDialog } from './createDialog';
import { confirmDialog } from './dialogs';
import { h, onReady, replaceChildren } from './dom';
import { openEditDialog } from './editDialog';
import { flag, showMessage } from './messages';
import { forgetRegenerateRequest, highlightRow, linkedToken, markRow, tokenRowId } from './mailLink';
import { showNewToken } from './newTokenDialog';
import { regenerateAction, regenerateToken } from './regenerateDialog';
import { scrollRegion } from './scrollRegion';
import { standardColumns } from './tokenCells';
import { TokenTable, type RowAction } from './tokenTable';
import type { OwnToken } from './types';

function errorText(ctx: PageContext, err: unknown): string {
  return err instanceof ApiCallError ? err.message : ctx.t('error.unexpected');
}

function start(root: HTMLElement, ctx: PageContext): void {
  const { t, config } = ctx;
  const tokenUrl = (id: number) => `${config.restBase}/user/token/${encodeURIComponent(id)}`;
  let tokens: OwnToken[] = [];
  /** The token a mail's link pointed to: its row stays marked when the list is drawn again. */
  let linkedId: number | null = null;

  const messages = h('div', { class: 'ata-messages', dataset: { role: 'messages' } });
  const createButton = h('button', { type: 'button', class: 'aui-button aui-button-primary', dataset: { action: 'create' } }, t('profile.create'));
  // Until the list is there, Delete all would confirm "0 tokens" and still delete every one.
  const deleteAllButton = h('button', { type: 'button', class: 'aui-button', disabled: true, dataset: { action: 'delete-all' } }, t('profile.deleteAll'));
  const loading = h('p', { class: 'ata-empty', role: 'status', dataset: { role: 'loading' } }, t('common.loading'));
  const listHolder = h('div', { class: 'ata-list' }, loading);

  const columns = standardColumns<OwnToken>(ctx);
  // Secure mode: a token cannot be changed or regenerated after creation, only deleted; an
  // expired token cannot be changed (it can still be regenerated or deleted).
  const locked = config.access.secureMode;
  const actions: Array<RowAction<OwnToken>> = [
    {
      id: 'edit', label: t('profile.edit'), ariaLabel: (tok) => t('profile.editLabel', tok.description),
      visible: (tok) => !locked && tok.validUntil > ctx.clock.now(), run: (tok, b) => { void edit(tok, b); },
    },
    regenerateAction<OwnToken>(ctx, { username: () => config.user.name, reload: () => reload() }),
    { id: 'delete', label: t('profile.delete'), danger: true, ariaLabel: (tok) => t('profile.deleteLabel', tok.description), run: (tok, b) => { void remove(tok, b); } },
  ];
  const table = new TokenTable<OwnToken>({
    caption: t('profile.tableCaption'),
    columns: [columns.description, columns.created, columns.lastUsed, columns.expires, columns.scope, columns.restrictions],
    actions, actionsHeader: t('column.actions'),
    rowKey: (tok) => String(tok.id),
    rowAttrs: (tok) => ({ className: tok.validUntil <= ctx.clock.now() ? 'ata-row-expired' : undefined }),
    sort: { mode: 'client', initial: { column: 'created', direction: 'descending' }, label: (header) => t('common.sortBy', header) },
  });
  const tableRegion = scrollRegion(t('profile.tableCaption'), table.element);

  replaceChildren(root,
    h('p', { class: 'ata-intro' }, t('profile.intro')),
    h('div', { class: 'aui-buttons ata-toolbar' }, createButton, deleteAllButton),
    messages,
    listHolder);

  /** Loads and shows the list; false when that failed (the error is shown). */
  async function load(): Promise<boolean> {
    try {
      tokens = await ctx.api.get<OwnToken[]>(`${config.restBase}/user/token`);
      // The list is current again: an error of an earlier action no longer applies.
      showMessage(messages, 'error', '');
      render();
      return true;
    } catch (err) {
      loading.remove();
      showMessage(messages, 'error', errorText(ctx, err));
      return false;
    }
  }
  const reload = async (): Promise<void> => { await load(); };

  function render(): void {
    deleteAllButton.disabled = tokens.length === 0;
    if (!tokens.length) {
      replaceChildren(listHolder, h('p', { class: 'ata-empty', dataset: { role: 'empty' } }, t('profile.empty')));
      return;
    }
    table.setRows(tokens);
    // Each row is the target of the mails' anchor.
    table.element.querySelectorAll<HTMLTableRowElement>('tbody tr[data-token-id]').forEach((tr) => {
      tr.id = tokenRowId(Number(tr.dataset.tokenId));
      if (Number(tr.dataset.tokenId) === linkedId) markRow(tr);
    });
    if (!listHolder.contains(tableRegion)) replaceChildren(listHolder, tableRegion);
  }

  /** A mail's link: the token's row highlighted, and its regenerate dialog open when asked for. */
  async function followLink(): Promise<void> {
    const link = linkedToken(window.location.search, window.location.hash);
    if (!link) return;
    forgetRegenerateRequest();
    const token = tokens.find((tok) => tok.id === link.id);
    const row = token ? document.getElementById(tokenRowId(token.id)) : null;
    if (!token || !row) {
      showMessage(messages, 'warning', t('profile.linkedTokenGone', link.id));
      return;
    }
    linkedId = token.id;
    highlightRow(row);
    if (!link.regenerate || locked) return;
    const button = row.querySelector<HTMLButtonElement>('[data-action=regenerate]');
    await regenerateToken(ctx, token, { username: config.user.name, reload, returnFocus: button ?? row });
  }

  const names = (except?: number) => tokens.filter((tok) => tok.id !== except).map((tok) => tok.description);

  createButton.addEventListener('click', () => {
    void (async () => {
      const result = await openCreateDialog(ctx, { takenNames: names(), returnFocus: createButton });
      if (!result) return;
      await reload();
      flag('success', t('profile.created', result.created.tokenDescription));
      await showNewToken(ctx, result.created, { title: t('newToken.title'), username: result.username, returnFocus: createButton });
    })();
  });

  deleteAllButton.addEventListener('click', () => {
    void (async () => {
      const count = tokens.length;
      const ok = await confirmDialog(t, {
        title: t('profile.deleteAllTitle'), message: t('profile.deleteAllConfirm', count), confirmLabel: t('profile.deleteAllButton'),
        danger: true, returnFocus: createButton,
      });
      if (!ok) return;
      try {
        await deleteAll();
        await reload();
        flag('success', t('profile.deletedAll', count));
      } catch (err) {
        showMessage(messages, 'error', errorText(ctx, err));
      }
    })();
  });

  /** `DELETE /rest/api-tokens/latest/all`; one by one where that API is not installed. */
  async function deleteAll(): Promise<void> {
    try {
      await ctx.api.call('DELETE', `${config.apiTokensRestBase}/all`);
    } catch (err) {
      if (!(err instanceof ApiCallError) || (err.status !== 404 && err.status !== 405)) throw err;
      for (const tok of tokens) await ctx.api.call('DELETE', tokenUrl(tok.id));
    }
  }

  async function edit(token: OwnToken, button: HTMLButtonElement): Promise<void> {
    if (!(await openEditDialog(ctx, token, names(token.id), button))) return;
    await reload();
    flag('success', t('profile.saved'));
  }

  async function remove(token: OwnToken, button: HTMLButtonElement): Promise<void> {
    const ok = await confirmDialog(t, {
      title: t('profile.deleteTitle'), message: t('profile.deleteConfirm', token.description), confirmLabel: t('profile.delete'), danger: true, returnFocus: button,
    });
    if (!ok) return;
    try {
      await ctx.api.call('DELETE', tokenUrl(token.id));
      await reload();
      flag('success', t('profile.deleted', token.description));
      createButton.focus();
    } catch (err) {
      showMessage(messages, 'error', errorText(ctx, err));
    }
  }

  void load().then((ok) => (ok ? followLink() : undefined));
  // An anchor followed within the page (same document: no reload) marks its row too.
  window.addEventListener('hashchange', () => { void followLink(); });
}

onReady(() => {
  const root = document.getElementById('ata-app');
  const ctx = pageContext('profile');
  if (root && ctx && root.dataset.page === 'profile') start(root, ctx);
});
