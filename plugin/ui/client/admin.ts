// The Token Manager: every user's tokens through `tokensByFilter` (every filter, paging),
// create a token for a user, delete one, delete all tokens of a user (system administrators).
import { ApiCallError, query } from './api';
import { pageContext, type PageContext } from './context';
import { openCreateDialog } from './createDialog';
import { attachDatePicker } from './datePicker';
import { confirmDialog, Dialog } from './dialogs';
import { h, onReady, replaceChildren } from './dom';
import { Field, buttons, fieldset, select, textInput } from './forms';
import { flag, showMessage } from './messages';
import { showNewToken } from './newTokenDialog';
import { standardColumns } from './tokenCells';
import { TokenTable, type Column } from './tokenTable';
import type { FilterPage, ListedToken, PickerUser } from './types';
import { UserPicker, userLabel } from './userPicker';

const PAGE_SIZES = [10, 25, 50] as const;
const RANGES = [['created', 'fromCreated', 'untilCreated'], ['lastUsed', 'fromLastUsed', 'untilLastUsed'], ['expires', 'fromExpiresDuring', 'untilExpiresDuring']] as const;

function errorText(ctx: PageContext, err: unknown): string {
  return err instanceof ApiCallError ? err.message : ctx.t('error.unexpected');
}

function start(root: HTMLElement, ctx: PageContext): void {
  const { t, config, clock } = ctx;
  const users = new Map<string, PickerUser>();
  let selectedUsers: PickerUser[] = [];
  const state = { page: 0, limit: 25 };

  const messages = h('div', { class: 'ata-messages', dataset: { role: 'messages' } });
  const onError = (message: string): void => showMessage(messages, 'error', message);
  const createButton = h('button', { type: 'button', class: 'aui-button aui-button-primary', dataset: { action: 'create-for-user' } }, t('admin.createForUser'));
  const deleteAllButton = config.access.isSystemAdmin
    ? h('button', { type: 'button', class: 'aui-button', dataset: { action: 'delete-all-for-user' } }, t('admin.deleteAllForUser'))
    : null;

  // ------------------------------------------------------------ filters
  const chips = h('ul', { class: 'ata-chips', 'aria-label': t('admin.selectedUsers') });
  const picker = new UserPicker(ctx, t('admin.filterUsers'), (user) => {
    users.set(user.key, user);
    if (!selectedUsers.some((u) => u.key === user.key)) selectedUsers.push(user);
    renderChips();
  }, onError);
  const description = new Field(t('admin.filterDescription'), textInput('descriptionFilter', { type: 'search' }));
  const scope = new Field(t('admin.filterScope'), select('tokenScope', [
    { value: '', label: t('admin.scopeAny') }, { value: '2', label: t('scope.readWrite') }, { value: '1', label: t('scope.readOnly') }, { value: '0', label: t('scope.legacy') },
  ]));
  const dateInputs = new Map<string, HTMLInputElement>();
  const dateField = (label: string, name: string, help?: string): Field<HTMLInputElement> => {
    const input = textInput(name);
    attachDatePicker(input, ctx.lang, t('common.datePlaceholder'));
    dateInputs.set(name, input);
    return new Field(label, input, { description: help, className: 'ata-date-field' });
  };
  const ranges = RANGES.map(([key, from, until]) => fieldset(t(`admin.range.${key}`),
    h('div', { class: 'ata-range' }, dateField(t('admin.from'), from).group, dateField(t('admin.until'), until).group)));
  const notValidAfter = dateField(t('admin.filterNotValidAfter'), 'notValidAfter', t('admin.filterNotValidAfterHelp'));
  const pageSize = new Field(t('admin.pageSize'), select('limit', PAGE_SIZES.map((n) => ({ value: String(n), label: String(n), selected: n === state.limit }))));
  const reset = h('button', { type: 'button', class: 'aui-button aui-button-link', dataset: { action: 'reset-filters' } }, t('admin.resetFilters'));
  const form = h('form', { class: 'aui top-label ata-filters', role: 'search', 'aria-label': t('admin.filters'), novalidate: true },
    h('div', { class: 'ata-filter-users' }, picker.field.group, chips),
    h('div', { class: 'ata-filter-grid' }, description.group, scope.group, ...ranges, notValidAfter.group, pageSize.group),
    buttons(h('button', { type: 'submit', class: 'aui-button aui-button-primary', dataset: { action: 'apply-filters' } }, t('admin.applyFilters')), reset));

  // ------------------------------------------------------------ results
  const summary = h('p', { class: 'ata-summary', role: 'status', dataset: { role: 'summary' } });
  const results = h('div', { class: 'ata-list ata-table-wrap' });
  const prev = h('button', { type: 'button', class: 'aui-button', dataset: { action: 'previous-page' } }, t('admin.previousPage'));
  const next = h('button', { type: 'button', class: 'aui-button', dataset: { action: 'next-page' } }, t('admin.nextPage'));
  const pageInfo = h('span', { class: 'ata-page-info', dataset: { role: 'page-info' } });
  const pager = h('nav', { class: 'ata-pager', 'aria-label': t('admin.paging') }, prev, pageInfo, next);

  const ownerText = (key: string | null): string => (!key ? t('admin.noOwner') : users.has(key) ? userLabel(users.get(key)!) : key);
  const std = standardColumns<ListedToken>(ctx);
  const columns: Array<Column<ListedToken>> = [
    { id: 'owner', header: t('column.owner'), cell: (tok) => ownerText(tok.tokenForUserKey) },
    std.description, std.created, std.lastUsed, std.expires, std.scope, std.restrictions,
    { id: 'created-by', header: t('column.createdBy'), cell: (tok) => ownerText(tok.tokenCreatedByUserKey) },
  ];
  const table = new TokenTable<ListedToken>({
    caption: t('admin.tableCaption'), columns, actionsHeader: t('column.actions'),
    rowKey: (tok) => String(tok.id),
    rowAttrs: (tok) => ({ dataset: { owner: tok.tokenForUserKey ?? '' }, className: tok.validUntil <= clock.now() ? 'ata-row-expired' : undefined }),
    actions: [{
      id: 'delete', label: t('profile.delete'), danger: true, ariaLabel: (tok) => t('admin.deleteLabel', tok.description, ownerText(tok.tokenForUserKey)),
      run: (tok, button) => { void removeToken(tok, button); },
    }],
  });

  replaceChildren(root,
    h('p', { class: 'ata-intro' }, t('admin.intro')),
    h('div', { class: 'aui-buttons ata-toolbar' }, createButton, deleteAllButton),
    messages, form, summary, results, pager);

  function renderChips(): void {
    replaceChildren(chips, ...selectedUsers.map((user) => {
      const label = userLabel(user);
      return h('li', { class: 'ata-chip aui-label', dataset: { userKey: user.key } }, h('span', {}, label),
        h('button', {
          type: 'button', class: 'ata-chip-remove', 'aria-label': t('admin.removeUser', label),
          onclick: () => { selectedUsers = selectedUsers.filter((u) => u.key !== user.key); renderChips(); picker.input.focus(); },
        }, '×'));
    }));
  }

  const dayStart = (name: string): number | '' => { const v = dateInputs.get(name)!.value.trim(); return v ? clock.zonedToEpoch(v, '00:00') : ''; };
  const dayEnd = (name: string): number | '' => { const v = dateInputs.get(name)!.value.trim(); return v ? clock.zonedToEpoch(v, '23:59:59.999') : ''; };

  function filterQuery(page: number, limit: number, userKeys?: string[]): string {
    const nva = dayEnd('notValidAfter');
    return query({
      userFilter: userKeys ?? selectedUsers.map((u) => u.key),
      descriptionFilter: userKeys ? '' : description.value.trim(),
      tokenScope: userKeys ? '' : scope.value,
      fromCreated: userKeys ? '' : dayStart('fromCreated'), untilCreated: userKeys ? '' : dayEnd('untilCreated'),
      fromLastUsed: userKeys ? '' : dayStart('fromLastUsed'), untilLastUsed: userKeys ? '' : dayEnd('untilLastUsed'),
      fromExpiresDuring: userKeys ? '' : dayStart('fromExpiresDuring'), untilExpiresDuring: userKeys ? '' : dayEnd('untilExpiresDuring'),
      notValidAfter: userKeys || nva === '' ? -1 : nva,
      page, limit,
    });
  }

  async function resolveUsers(tokens: readonly ListedToken[]): Promise<void> {
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

  async function load(): Promise<void> {
    summary.textContent = t('common.loading');
    try {
      const page = await ctx.api.get<FilterPage>(`${config.restBase}/user/tokensByFilter${filterQuery(state.page, state.limit)}`);
      await resolveUsers(page.content ?? []);
      render(page);
    } catch (err) {
      summary.textContent = '';
      onError(errorText(ctx, err));
    }
  }

  function render(page: FilterPage): void {
    const content = page.content ?? [];
    state.page = page.currentPage ?? 0;
    const total = page.total ?? 0;
    const totalPages = page.totalPages ?? 0;
    summary.textContent = total === 0 ? t('admin.noResults') : t('admin.summary', (page.offset ?? 0) + 1, (page.offset ?? 0) + content.length, total);
    pageInfo.textContent = totalPages ? t('admin.pageOf', state.page + 1, totalPages) : '';
    prev.disabled = state.page <= 0;
    next.disabled = state.page + 1 >= totalPages;
    table.setRows(content);
    replaceChildren(results, content.length ? table.element : null);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    state.page = 0;
    state.limit = Number(pageSize.value);
    void load();
  });
  reset.addEventListener('click', () => {
    form.reset();
    selectedUsers = [];
    renderChips();
    state.page = 0;
    state.limit = Number(pageSize.value);
    void load();
  });
  prev.addEventListener('click', () => { if (state.page > 0) { state.page -= 1; void load(); } });
  next.addEventListener('click', () => { state.page += 1; void load(); });

  /** Every token name of a user (for a unique default name in the create dialog). */
  async function tokenNamesOf(userKey: string): Promise<string[]> {
    const names: string[] = [];
    for (let page = 0; page < 100; page++) {
      const res = await ctx.api.get<FilterPage>(`${config.restBase}/user/tokensByFilter${filterQuery(page, 50, [userKey])}`);
      names.push(...(res.content ?? []).map((tok) => tok.description));
      if (page + 1 >= (res.totalPages ?? 0)) break;
    }
    return names;
  }

  async function removeToken(token: ListedToken, button: HTMLButtonElement): Promise<void> {
    const ok = await confirmDialog(t, {
      title: t('profile.deleteTitle'), message: t('admin.deleteConfirm', token.description, ownerText(token.tokenForUserKey)),
      confirmLabel: t('profile.delete'), danger: true, returnFocus: button,
    });
    if (!ok) return;
    try {
      await ctx.api.call('DELETE', `${config.restBase}/user/token/${encodeURIComponent(token.id)}`);
      flag('success', t('profile.deleted', token.description));
      await load();
      createButton.focus();
    } catch (err) {
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
