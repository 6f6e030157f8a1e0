// The Token Manager's filter form: every filter of `tokensByFilter` (users, name, scope, date
// ranges in the admin's time zone, "not valid after") and the page size. `params()` reads the
// form as the API's filter parameters — the same object goes into the query string of a page,
// the CSV download and, as JSON, into a bulk deletion by filter.
import type { PageContext } from './context';
import { attachDatePicker } from './datePicker';
import { h, replaceChildren } from './dom';
import { Field, buttons, fieldset, select, textInput } from './forms';
import type { PickerUser } from './types';
import { UserPicker, userLabel } from './userPicker';

export const PAGE_SIZES = [10, 25, 50] as const;
const RANGES = [['created', 'fromCreated', 'untilCreated'], ['lastUsed', 'fromLastUsed', 'untilLastUsed'], ['expires', 'fromExpiresDuring', 'untilExpiresDuring']] as const;

/** The filter parameters of `tokensByFilter` that are set (never page, limit, sort or format). */
export type FilterParams = Readonly<Record<string, string | number | readonly string[]>>;

export class FilterForm {
  readonly form: HTMLFormElement;
  readonly reset: HTMLButtonElement;
  private selectedUsers: PickerUser[] = [];
  private readonly chips: HTMLUListElement;
  private readonly picker: UserPicker;
  private readonly description: Field<HTMLInputElement>;
  private readonly scope: Field<HTMLSelectElement>;
  private readonly pageSizeField: Field<HTMLSelectElement>;
  private readonly dateInputs = new Map<string, HTMLInputElement>();

  /** `users` collects every user the page has seen (names for the owner column). */
  constructor(private readonly ctx: PageContext, private readonly users: Map<string, PickerUser>, initialPageSize: number, onError: (message: string) => void) {
    const { t } = ctx;
    this.chips = h('ul', { class: 'ata-chips', 'aria-label': t('admin.selectedUsers') });
    this.picker = new UserPicker(ctx, t('admin.filterUsers'), (user) => this.addUser(user), onError);
    this.description = new Field(t('admin.filterDescription'), textInput('descriptionFilter', { type: 'search' }));
    this.scope = new Field(t('admin.filterScope'), select('tokenScope', [
      { value: '', label: t('admin.scopeAny') }, { value: '2', label: t('scope.readWrite') }, { value: '1', label: t('scope.readOnly') }, { value: '0', label: t('scope.legacy') },
    ]));
    const ranges = RANGES.map(([key, from, until]) => fieldset(t(`admin.range.${key}`),
      h('div', { class: 'ata-range' }, this.dateField(t('admin.from'), from).group, this.dateField(t('admin.until'), until).group)));
    const notValidAfter = this.dateField(t('admin.filterNotValidAfter'), 'notValidAfter', t('admin.filterNotValidAfterHelp'));
    this.pageSizeField = new Field(t('admin.pageSize'), select('limit', PAGE_SIZES.map((n) => ({ value: String(n), label: String(n), selected: n === initialPageSize }))));
    this.reset = h('button', { type: 'button', class: 'aui-button aui-button-link', dataset: { action: 'reset-filters' } }, t('admin.resetFilters'));
    this.form = h('form', { class: 'aui top-label ata-filters', role: 'search', 'aria-label': t('admin.filters'), novalidate: true },
      h('div', { class: 'ata-filter-users' }, this.picker.field.group, this.chips),
      h('div', { class: 'ata-filter-grid' }, this.description.group, this.scope.group, ...ranges, notValidAfter.group, this.pageSizeField.group),
      buttons(h('button', { type: 'submit', class: 'aui-button aui-button-primary', dataset: { action: 'apply-filters' } }, t('admin.applyFilters')), this.reset));
  }

  get pageSize(): number {
    return Number(this.pageSizeField.value);
  }

  /** The filters as they are in the form now. */
  params(): FilterParams {
    const out: Record<string, string | number | readonly string[]> = {};
    if (this.selectedUsers.length) out.userFilter = this.selectedUsers.map((u) => u.key);
    const description = this.description.value.trim();
    if (description) out.descriptionFilter = description;
    if (this.scope.value !== '') out.tokenScope = Number(this.scope.value);
    for (const [, from, until] of RANGES) {
      const start = this.day(from, '00:00');
      const end = this.day(until, '23:59:59.999');
      if (start !== undefined) out[from] = start;
      if (end !== undefined) out[until] = end;
    }
    const nva = this.day('notValidAfter', '23:59:59.999');
    if (nva !== undefined) out.notValidAfter = nva;
    return out;
  }

  /** Empties every filter; the page size goes back to its default unless `keepPageSize`. */
  clear(keepPageSize = false): void {
    const size = this.pageSizeField.value;
    this.form.reset();
    if (keepPageSize) this.pageSizeField.input.value = size;
    this.selectedUsers = [];
    this.renderChips();
  }

  /** Sets the filters to one user's tokens (none: user-less tokens) whose name contains `description`. */
  showOnly(user: PickerUser | null, description: string): void {
    this.clear(true);
    if (user) this.addUser(user);
    this.description.input.value = description;
  }

  private addUser(user: PickerUser): void {
    this.users.set(user.key, user);
    if (!this.selectedUsers.some((u) => u.key === user.key)) this.selectedUsers.push(user);
    this.renderChips();
  }

  private dateField(label: string, name: string, help?: string): Field<HTMLInputElement> {
    const input = textInput(name);
    attachDatePicker(input, this.ctx.lang, this.ctx.t('common.datePlaceholder'));
    this.dateInputs.set(name, input);
    return new Field(label, input, { description: help, className: 'ata-date-field' });
  }

  /** A day field as epoch ms at `time` of that day in the admin's time zone; undefined when empty. */
  private day(name: string, time: string): number | undefined {
    const value = this.dateInputs.get(name)!.value.trim();
    return value ? this.ctx.clock.zonedToEpoch(value, time) : undefined;
  }

  private renderChips(): void {
    replaceChildren(this.chips, ...this.selectedUsers.map((user) => {
      const label = userLabel(user);
      return h('li', { class: 'ata-chip aui-label', dataset: { userKey: user.key } }, h('span', {}, label),
        h('button', {
          type: 'button', class: 'ata-chip-remove', 'aria-label': this.ctx.t('admin.removeUser', label),
          onclick: () => { this.selectedUsers = this.selectedUsers.filter((u) => u.key !== user.key); this.renderChips(); this.picker.input.focus(); },
        }, '×'));
    }));
  }
}
