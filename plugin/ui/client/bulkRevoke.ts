// Bulk revoke in the Token Manager: what the row checkboxes selected, "select all N matching"
// (every token the applied filters match, beyond this page), and *Revoke* after a confirmation
// naming the count. Selected rows go to `POST /admin/tokens/delete` as `{"ids": […]}`, all
// matching ones as `{"filter": {…}}` — the filters the list was loaded with, not the form's
// unapplied edits. The flag reports the API's `deleted`.
import { ApiCallError, query } from './api';
import type { FilterParams } from './adminFilters';
import type { PageContext } from './context';
import { confirmDialog } from './dialogs';
import { h, replaceChildren } from './dom';
import { flag } from './messages';
import type { TokenTable } from './tokenTable';
import type { FilteredToken, FilterPage } from './types';

/** How many tokens a revoke takes; not `exact` when a name search matched more than the API counted at once (`count` is then "more than"). */
interface Target {
  readonly count: number;
  readonly exact: boolean;
}

export interface BulkRevokeOptions {
  readonly table: TokenTable<FilteredToken>;
  /** The filters of the list on screen and how many tokens they match (`exact` false: at least `total`). */
  readonly applied: () => { readonly filter: FilterParams; readonly total: number; readonly exact: boolean };
  /** Reloads the list from its first page after a deletion. */
  readonly reload: () => Promise<void>;
  readonly onError: (message: string) => void;
}

export class BulkRevokeBar {
  readonly element: HTMLElement;
  private readonly status: HTMLElement;
  private readonly scopeButton: HTMLButtonElement;
  private readonly revokeButton: HTMLButtonElement;
  /** "Select all N matching" was chosen (and the whole page is still selected). */
  private allMatching = false;

  constructor(private readonly ctx: PageContext, private readonly options: BulkRevokeOptions) {
    this.status = h('span', { class: 'ata-selection-status', role: 'status', dataset: { role: 'selection' } });
    this.scopeButton = h('button', { type: 'button', class: 'aui-button aui-button-link', dataset: { action: 'select-all-matching' } });
    this.scopeButton.addEventListener('click', () => {
      this.allMatching = !this.allMatching;
      if (!this.allMatching) this.options.table.selectAll(false);
      this.update();
    });
    this.revokeButton = h('button', { type: 'button', class: 'aui-button ata-button-danger-subtle', dataset: { action: 'revoke-selected' } });
    this.revokeButton.addEventListener('click', () => { void this.revoke(); });
    this.element = h('div', { class: 'ata-bulk-bar', hidden: true, dataset: { role: 'bulk-bar' } }, this.status, this.scopeButton, this.revokeButton);
  }

  /** After a change of the selection or of the rows. */
  update(): void {
    const { t } = this.ctx;
    const table = this.options.table;
    const selected = table.selectedRows().length;
    const matching = this.matching();
    const wholePage = table.allSelected();
    if (!wholePage) this.allMatching = false;
    this.element.hidden = selected === 0;
    replaceChildren(this.status, this.allMatching ? this.text('admin.bulk.allMatchingSelected', matching)
      : wholePage ? t('admin.bulk.pageSelected', selected) : t('admin.bulk.selected', selected));
    this.scopeButton.hidden = !wholePage || (matching.exact && matching.count <= selected);
    this.scopeButton.textContent = this.allMatching ? t('admin.bulk.clearSelection') : this.text('admin.bulk.selectAllMatching', matching);
    this.revokeButton.textContent = this.text('admin.bulk.revoke', this.target());
  }

  /** Every token the applied filters match. */
  private matching(): Target {
    const { total, exact } = this.options.applied();
    return exact ? { count: total, exact } : { count: total - 1, exact };
  }

  private target(): Target {
    return this.allMatching ? this.matching() : { count: this.options.table.selectedRows().length, exact: true };
  }

  /** `key` with the count, or `keyMany` ("more than") when the count is a lower bound. */
  private text(key: string, target: Target): string {
    return this.ctx.t(target.exact ? key : `${key}Many`, target.count);
  }

  /** The exact number of matching tokens when the list had a lower bound: the API counts in the background, so ask again a few times. */
  private async exactMatching(): Promise<Target> {
    const { filter } = this.options.applied();
    for (let attempt = 0; attempt < 5; attempt++) {
      const page = await this.ctx.api.get<FilterPage>(`${this.ctx.config.restBase}/user/tokensByFilter${query({ ...filter, page: 0, limit: 1 })}`);
      if (page.totalExact !== false) return { count: page.total, exact: true };
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    return this.matching();
  }

  private async revoke(): Promise<void> {
    const { t, config } = this.ctx;
    let target = this.target();
    const body = this.allMatching ? { filter: this.options.applied().filter } : { ids: this.options.table.selectedRows().map((tok) => tok.id) };
    try {
      if (!target.exact) target = await this.exactMatching();
    } catch (err) {
      this.options.onError(err instanceof ApiCallError ? err.message : t('error.unexpected'));
      return;
    }
    const ok = await confirmDialog(t, {
      title: this.text('admin.bulk.confirmTitle', target), message: this.text('admin.bulk.confirm', target), confirmLabel: this.text('admin.bulk.revoke', target),
      danger: true, returnFocus: this.revokeButton, role: 'bulk-revoke-confirm',
    });
    if (!ok) return;
    try {
      const res = await this.ctx.api.call<{ deleted: number }>('POST', `${config.restBase}/admin/tokens/delete`, body);
      flag('success', t('admin.bulk.revoked', res.deleted));
    } catch (err) {
      this.options.onError(err instanceof ApiCallError ? err.message : t('error.unexpected'));
      return;
    }
    this.allMatching = false;
    await this.options.reload();
  }
}
