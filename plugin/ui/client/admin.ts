// The Token Manager: every user's tokens through `tokensByFilter` (every filter, paging, sorted
// by the server, CSV download), find a pasted token, select and revoke many at once, create a
// token for a user, delete one, delete all tokens of a user (system administrators).
import { ApiCallError, query } from './api';
import { FilterForm, type FilterParams } from './adminFilters';
import { adminRowActions } from './adminRowActions';
import { BulkRevokeBar } from './bulkRevoke';
import { pageContext, type PageContext } from './context';
import { openCreateDialog } from './createDialog';
import { confirmDialog, Dialog } from './dialogs';
import { h, onReady, replaceChildren } from './dom';
import { FindTokenBox } from './findToken';
import { flag, showMessage } from './messages';
import { showNewToken } from './newTokenDialog';
import { scrollRegion } from './scrollRegion';
import { managerColumns } from './adminColumns';
import { TokenTable, type SortState } from './tokenTable';
import type { FilteredToken, FilterPage, LookedUpToken, PickerUser } from './types';
import { UserPicker, userLabel } from './userPicker';

function errorText(ctx: PageContext, err: unknown): string {
  return err instanceof ApiCallError ? err.message : ctx.t('error.unexpected');
}

function start(root: HTMLElement, ctx: PageContext): void {
  const { t, config, clock } = ctx;
  const users = new Map<string, PickerUser>();
  /** What the list on screen was loaded with: filters (applied by the form or Find), order, page. */
  const state = { filter: {} as FilterParams, sort: { key: 'validUntil', order: 'asc' }, page: 0, limit: 25, total: 0, exact: true, foundId: 0 };

  const messages = h('div', { class: 'ata-messages', dataset: { role: 'messages' } });
  const onError = (message: string): void => showMessage(messages, 'error', message);
  const createButton = h('button', { type: 'button', class: 'aui-button aui-button-primary', dataset: { action: 'create-for-user' } }, t('admin.createForUser'));
  const deleteAllButton = config.access.isSystemAdmin
    ? h('button', { type: 'button', class: 'aui-button', dataset: { action: 'delete-all-for-user' } }, t('admin.deleteAllForUser'))
    : null;
  const filters = new FilterForm(ctx, users, state.limit, onError);
  const find = new FindTokenBox(ctx, (token) => showFound(token));

  // ------------------------------------------------------------ results
  // Focusable by script: after a row is deleted focus goes here, beside the list, with the new count.
  const summary = h('p', { class: 'ata-summary', role: 'status', tabindex: '-1', dataset: { role: 'summary' } });
  const exportLink = h('a', { class: 'aui-button ata-export', download: '', dataset: { action: 'export-csv' } });
  const results = h('div', { class: 'ata-list' });
  const prev = h('button', { type: 'button', class: 'aui-button', dataset: { action: 'previous-page' } }, t('admin.previousPage'));
  const next = h('button', { type: 'button', class: 'aui-button', dataset: { action: 'next-page' } }, t('admin.nextPage'));
  const pageInfo = h('span', { class: 'ata-page-info', dataset: { role: 'page-info' } });
  const pager = h('nav', { class: 'ata-pager', 'aria-label': t('admin.paging') }, prev, pageInfo, next);

  const ownerText = (key: string | null): string => (!key ? t('admin.noOwner') : users.has(key) ? userLabel(users.get(key)!) : key);
  const columns = managerColumns(ctx, ownerText);
  const table: TokenTable<FilteredToken> = new TokenTable<FilteredToken>({
    caption: t('admin.tableCaption'), columns, actionsHeader: t('column.actions'),
    actionsMenu: (tok) => t('admin.actionsLabel', tok.description, ownerText(tok.tokenForUserKey)),
    rowKey: (tok) => String(tok.id),
    rowAttrs: (tok) => ({
      dataset: { owner: tok.tokenForUserKey ?? '', ...(tok.id === state.foundId ? { found: 'true' } : {}) },
      className: [tok.validUntil <= clock.now() ? 'ata-row-expired' : '', tok.id === state.foundId ? 'ata-row-found' : ''].filter(Boolean).join(' ') || undefined,
    }),
    sort: {
      mode: 'server', initial: { column: 'expires', direction: 'ascending' }, label: (header) => t('common.sortBy', header),
      onSort: (sort: SortState) => {
        state.sort = { key: columns.find((c) => c.id === sort.column)?.sortKey ?? 'validUntil', order: sort.direction === 'ascending' ? 'asc' : 'desc' };
        state.page = 0;
        void load();
      },
    },
    selection: {
      rowLabel: (tok) => t('admin.bulk.selectRow', tok.description, ownerText(tok.tokenForUserKey)),
      pageLabel: t('admin.bulk.selectPage'),
      onChange: () => bulk.update(),
    },
    // Row actions: edit and regenerate (adminRowActions.ts), delete.
    actions: [...adminRowActions(ctx, {
      owner: (tok) => (tok.tokenForUserKey ? users.get(tok.tokenForUserKey) : undefined), ownerLabel: (tok) => ownerText(tok.tokenForUserKey), reload: () => load(), onError,
    }), {
      id: 'delete', label: t('profile.delete'), danger: true, ariaLabel: (tok) => t('admin.deleteLabel', tok.description, ownerText(tok.tokenForUserKey)),
      run: (tok, button) => { void removeToken(tok, button); },
    }],
  });
  const tableRegion = scrollRegion(t('admin.tableCaption'), table.element);
  table.element.classList.add('ata-manager-table');
  const bulk = new BulkRevokeBar(ctx, {
    table, applied: () => ({ filter: state.filter, total: state.total, exact: state.exact }), onError,
    reload: async () => {
      state.page = 0;
      await load();
      (results.querySelector<HTMLElement>('[data-role=select-page]') ?? createButton).focus();
    },
  });

  replaceChildren(root,
    h('p', { class: 'ata-intro' }, t('admin.intro')),
    h('div', { class: 'aui-buttons ata-toolbar' }, createButton, deleteAllButton),
    messages, find.element, filters.form,
    h('div', { class: 'ata-results-head' }, summary, exportLink), bulk.element, results, pager);

  async function resolveUsers(tokens: readonly FilteredToken[]): Promise<void> {
    const missing = [...new Set(tokens.flatMap((tok) => [tok.tokenForUserKey, tok.tokenCreatedByUserKey]))]
      .filter((k): k is string => !!k && !users.has(k));
    if (!missing.length) return;
    try {
      const res = await ctx.api.get<{ users: Record<string, PickerUser> }>(`${config.servletBase}/users/lookup${query({ key: missing })}`);
      for (const [key, user] of Object.entries(res.users ?? {})) users.set(key, user);
    } catch {
      // Owner names are a nicety; the keys are shown instead.
    }
  }

  const listUrl = (extra: Record<string, string | number>): string =>
    `${config.restBase}/user/tokensByFilter${query({ ...state.filter, sort: state.sort.key, order: state.sort.order, ...extra })}`;

  async function load(): Promise<void> {
    summary.textContent = t('common.loading');
    try {
      const page = await ctx.api.get<FilterPage>(listUrl({ page: state.page, limit: state.limit }));
      await resolveUsers(page.content ?? []);
      // The list is current again: an error of an earlier action no longer applies.
      showMessage(messages, 'error', '');
      render(page);
    } catch (err) {
      summary.textContent = '';
      onError(errorText(ctx, err));
    }
  }

  function render(page: FilterPage): void {
    const content = page.content ?? [];
    state.page = page.currentPage ?? 0;
    state.total = page.total ?? 0;
    state.exact = page.totalExact !== false;
    const totalPages = page.totalPages ?? 0;
    const exact = state.exact;
    const from = (page.offset ?? 0) + 1;
    summary.textContent = state.total === 0 ? t('admin.noResults')
      : exact ? t('admin.summary', from, from + content.length - 1, state.total) : t('admin.summaryAtLeast', from, from + content.length - 1, state.total - 1);
    pageInfo.textContent = totalPages ? t('admin.pageOf', state.page + 1, totalPages) : '';
    const focused = document.activeElement;
    prev.disabled = state.page <= 0;
    next.disabled = state.page + 1 >= totalPages;
    // A pager button disabled under the keyboard would drop focus to the top of the page.
    if (focused === next && next.disabled && !prev.disabled) prev.focus();
    else if (focused === prev && prev.disabled && !next.disabled) next.focus();
    // Every matching row in the chosen order; a plain GET (it carries no secret), answered as a file.
    exportLink.href = listUrl({ format: 'csv' });
    exportLink.textContent = exact ? t('admin.exportCsv', state.total) : t('admin.exportCsvAll');
    exportLink.hidden = state.total === 0;
    table.setRows(content);
    bulk.update();
    // The table stays in place while it has rows, so focus (a sort button, a checkbox) stays where it was.
    if (!content.length) replaceChildren(results);
    else if (tableRegion.parentNode !== results) replaceChildren(results, tableRegion);
    const found = state.foundId ? results.querySelector<HTMLElement>(`tr[data-token-id="${state.foundId}"]`) : null;
    found?.scrollIntoView({ block: 'center' });
  }

  /** Applies the form's filters from the first page; `foundId` marks a row found by the Find box. */
  function apply(foundId = 0): void {
    state.filter = filters.params();
    state.limit = filters.pageSize;
    state.page = 0;
    state.foundId = foundId;
    void load();
  }

  /** A token found by the Find box: the list shows its owner's tokens of that name, its row marked. */
  function showFound(token: LookedUpToken): void {
    const owner = token.owner;
    if (owner) users.set(owner.key, { key: owner.key, name: owner.name ?? owner.key, displayName: owner.displayName ?? owner.name ?? owner.key, email: owner.email ?? '', active: owner.active });
    filters.showOnly(owner ? users.get(owner.key)! : null, token.description);
    apply(token.id);
  }

  filters.form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  filters.reset.addEventListener('click', () => {
    filters.clear();
    apply();
  });
  prev.addEventListener('click', () => { if (state.page > 0) { state.page -= 1; void load(); } });
  next.addEventListener('click', () => { state.page += 1; void load(); });

  /** Every token name of a user (for a unique default name in the create dialog). */
  async function tokenNamesOf(userKey: string): Promise<string[]> {
    const names: string[] = [];
    for (let page = 0; page < 100; page++) {
      const res = await ctx.api.get<FilterPage>(`${config.restBase}/user/tokensByFilter${query({ userFilter: [userKey], page, limit: 50 })}`);
      names.push(...(res.content ?? []).map((tok) => tok.description));
      if (page + 1 >= (res.totalPages ?? 0)) break;
    }
    return names;
  }

  async function removeToken(token: FilteredToken, button: HTMLButtonElement): Promise<void> {
    const ok = await confirmDialog(t, {
      title: t('profile.deleteTitle'), message: t('admin.deleteConfirm', token.description, ownerText(token.tokenForUserKey)),
      confirmLabel: t('profile.delete'), danger: true, returnFocus: button,
    });
    if (!ok) return;
    try {
      await ctx.api.call('DELETE', `${config.restBase}/user/token/${encodeURIComponent(token.id)}`);
      flag('success', t('profile.deleted', token.description));
      await load();
      // The row's button is gone; the top of the page is past the Find box and every filter.
      summary.focus();
    } catch (err) {
      // Deleted elsewhere meanwhile: the list drops its row, and the message says why.
      if (err instanceof ApiCallError && err.status === 404) await load();
      onError(errorText(ctx, err));
    }
  }

  /** A dialog that asks for one user; resolves with the user, or undefined when cancelled. */
  function chooseUser(title: string, role: string, returnFocus: HTMLElement): Promise<PickerUser | undefined> {
    const dialog = new Dialog<PickerUser>({ title, size: 'small', returnFocus, role });
    const messagesInDialog = h('div', { class: 'ata-messages' });
    const chooser = new UserPicker(ctx, t('admin.chooseUser'), (user) => { users.set(user.key, user); dialog.close(user); },
      (message) => showMessage(messagesInDialog, 'error', message));
    chooser.input.setAttribute('autofocus', '');
    dialog.content.appendChild(h('form', { class: 'aui top-label ata-user-chooser', novalidate: true, onsubmit: (e: Event) => e.preventDefault() }, messagesInDialog, chooser.field.group));
    dialog.button(t('common.cancel'), 'link', () => { void dialog.cancel(); });
    dialog.show();
    return dialog.result;
  }

  createButton.addEventListener('click', () => {
    void (async () => {
      const user = await chooseUser(t('admin.createForUser'), 'choose-user', createButton);
      if (!user) return;
      let takenNames: string[];
      try {
        takenNames = await tokenNamesOf(user.key);
      } catch (err) {
        onError(errorText(ctx, err));
        return;
      }
      const result = await openCreateDialog(ctx, { forUser: user, takenNames, returnFocus: createButton });
      if (!result) return;
      flag('success', t('admin.createdFor', result.created.tokenDescription, userLabel(user)));
      await load();
      await showNewToken(ctx, result.created, { title: t('newToken.title'), username: user.name, returnFocus: createButton });
    })();
  });

  deleteAllButton?.addEventListener('click', () => {
    void (async () => {
      const user = await chooseUser(t('admin.deleteAllForUser'), 'choose-user', deleteAllButton);
      if (!user) return;
      const ok = await confirmDialog(t, {
        title: t('admin.deleteAllForUser'), message: t('admin.deleteAllConfirm', userLabel(user)), confirmLabel: t('admin.deleteAllButton'),
        danger: true, returnFocus: deleteAllButton,
      });
      if (!ok) return;
      try {
        const count = await ctx.api.call<number>('DELETE', `${config.restBase}/user/token/deleteAllFor/${encodeURIComponent(user.key)}`);
        flag('success', t('admin.deletedAllFor', count, userLabel(user)));
        state.page = 0;
        await load();
      } catch (err) {
        onError(errorText(ctx, err));
      }
    })();
  });

  void load();
}

onReady(() => {
  const root = document.getElementById('ata-app');
  const ctx = pageContext('admin');
  if (root && ctx && root.dataset.page === 'admin') start(root, ctx);
});
