// An AUI table (`table.aui`) configured by columns and row actions, so a page adds a column
// (last IP, restrictions, …) or an action (regenerate, edit, …) by adding one entry. Sortable
// columns have a button in their header (keyboard-operable, `aria-sort` on the header cell):
// `client` sorting orders the rows the table has, `server` sorting asks the page to reload.
// With `selection`, each row has a checkbox and the header one for the whole page; with
// `actionsMenu`, a row's actions are one AUI dropdown2 instead of a button each.
import { h, replaceChildren, type Child } from './dom';

export type SortDirection = 'ascending' | 'descending';

export interface SortState {
  readonly column: string;
  readonly direction: SortDirection;
}

export interface Column<T> {
  readonly id: string;
  readonly header: string;
  /** The cell content; a `th` when `rowHeader` (the column that names the row). */
  readonly cell: (row: T) => Child | Child[];
  readonly rowHeader?: boolean;
  /** Client-side sort key: under `client` sorting, a column with one is sortable. */
  readonly sortValue?: (row: T) => string | number;
  /** Under `server` sorting, a column with this key is sortable (the API's sort key, e.g. `validUntil`). */
  readonly sortKey?: string;
  readonly className?: string;
}

export interface RowAction<T> {
  readonly id: string;
  readonly label: string;
  /** The accessible name, naming the row, e.g. "Delete token Nightly export". */
  readonly ariaLabel: (row: T) => string;
  readonly visible?: (row: T) => boolean;
  readonly danger?: boolean;
  readonly run: (row: T, button: HTMLButtonElement) => void;
}

export interface TokenTableOptions<T> {
  readonly caption: string;
  readonly columns: ReadonlyArray<Column<T>>;
  readonly actions?: ReadonlyArray<RowAction<T>>;
  readonly actionsHeader?: string;
  /**
   * The row actions as one AUI dropdown2 ("…") per row instead of a button each; the value names
   * the trigger after its row, e.g. "Actions for token Nightly export of Bob".
   */
  readonly actionsMenu?: (row: T) => string;
  readonly rowKey: (row: T) => string;
  /** Extra data attributes and classes of a row. */
  readonly rowAttrs?: (row: T) => { dataset?: Record<string, string>; className?: string };
  readonly sort?: {
    readonly mode: 'client' | 'server';
    readonly initial?: SortState;
    /** Server mode: reload with the new order. */
    readonly onSort?: (state: SortState) => void;
    /** Header button label, e.g. "Sort by Expires". */
    readonly label: (header: string) => string;
  };
  /** Row checkboxes; `onChange` runs after every change of the selection by the user. */
  readonly selection?: {
    /** The accessible name of a row's checkbox, e.g. "Select token Nightly export of Bob". */
    readonly rowLabel: (row: T) => string;
    /** The accessible name of the header checkbox, e.g. "Select every token on this page". */
    readonly pageLabel: string;
    readonly onChange: () => void;
  };
}

export class TokenTable<T> {
  readonly element: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private readonly headRow: HTMLTableRowElement;
  private rows: T[] = [];
  private sortState: SortState | undefined;
  private readonly selected = new Set<string>();
  private pageBox: HTMLInputElement | undefined;

  constructor(private readonly options: TokenTableOptions<T>) {
    this.sortState = options.sort?.initial;
    this.headRow = h('tr');
    this.body = h('tbody');
    this.element = h('table', { class: 'aui ata-token-table', dataset: { role: 'tokens' } },
      h('caption', { class: 'assistive' }, options.caption), h('thead', {}, this.headRow), this.body);
    this.renderHead();
  }

  get sort(): SortState | undefined {
    return this.sortState;
  }

  /** Replaces the rows; the selection starts empty. */
  setRows(rows: readonly T[]): void {
    this.rows = [...rows];
    this.selected.clear();
    this.renderBody();
    this.syncPageBox();
  }

  /** The selected rows, in table order. */
  selectedRows(): T[] {
    return this.rows.filter((row) => this.selected.has(this.options.rowKey(row)));
  }

  /** Whether every row (at least one) is selected. */
  allSelected(): boolean {
    return this.rows.length > 0 && this.selected.size === this.rows.length;
  }

  /** Selects every row or none (as the header checkbox does). */
  selectAll(on: boolean): void {
    this.selected.clear();
    if (on) for (const row of this.rows) this.selected.add(this.options.rowKey(row));
    this.body.querySelectorAll<HTMLInputElement>('input[data-role=select-row]').forEach((box) => { box.checked = on; });
    this.syncPageBox();
  }

  private sortable(column: Column<T>): boolean {
    const sort = this.options.sort;
    if (!sort) return false;
    return sort.mode === 'server' ? column.sortKey !== undefined : column.sortValue !== undefined;
  }

  private syncPageBox(): void {
    if (!this.pageBox) return;
    this.pageBox.checked = this.allSelected();
    this.pageBox.indeterminate = this.selected.size > 0 && !this.allSelected();
    this.pageBox.disabled = this.rows.length === 0;
  }

  private renderHead(): void {
    const selection = this.options.selection;
    if (selection) {
      this.pageBox = h('input', {
        type: 'checkbox', class: 'checkbox', 'aria-label': selection.pageLabel, dataset: { role: 'select-page' },
        onchange: () => { this.selectAll(this.pageBox!.checked); selection.onChange(); },
      });
      this.syncPageBox();
    }
    const selectCell = this.pageBox ? h('th', { scope: 'col', class: 'ata-select-col' }, this.pageBox) : null;
    const cells = this.options.columns.map((column) => {
      const th = h('th', { scope: 'col', class: column.className, dataset: { column: column.id } });
      if (!this.sortable(column)) {
        th.textContent = column.header;
        return th;
      }
      const active = this.sortState?.column === column.id ? this.sortState.direction : undefined;
      if (active) th.setAttribute('aria-sort', active);
      th.classList.add('ata-sortable', ...(active ? [`ata-sorted-${active}`] : []));
      th.appendChild(h('button', {
        type: 'button', class: 'ata-sort-button', title: this.options.sort!.label(column.header),
        onclick: () => this.toggleSort(column.id),
      }, column.header, h('span', { class: 'ata-sort-indicator', 'aria-hidden': 'true' }, active === 'ascending' ? '▲' : active === 'descending' ? '▼' : '')));
      return th;
    });
    if (this.options.actions?.length) cells.push(h('th', { scope: 'col', class: 'ata-actions-col' }, this.options.actionsHeader ?? ''));
    replaceChildren(this.headRow, selectCell, ...cells);
  }

  private toggleSort(columnId: string): void {
    const direction: SortDirection = this.sortState?.column === columnId && this.sortState.direction === 'ascending' ? 'descending' : 'ascending';
    this.sortState = { column: columnId, direction };
    this.renderHead();
    this.headRow.querySelector<HTMLButtonElement>(`th[data-column="${columnId}"] button`)?.focus();
    if (this.options.sort?.mode === 'server') this.options.sort.onSort?.(this.sortState);
    else this.renderBody();
  }

  private sortedRows(): T[] {
    const state = this.sortState;
    const column = state && this.options.sort?.mode === 'client' ? this.options.columns.find((c) => c.id === state.column) : undefined;
    if (!state || !column?.sortValue) return this.rows;
    const key = column.sortValue;
    const factor = state.direction === 'ascending' ? 1 : -1;
    return [...this.rows].sort((a, b) => {
      const x = key(a);
      const y = key(b);
      return factor * (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y)));
    });
  }

  private renderBody(): void {
    replaceChildren(this.body, ...this.sortedRows().map((row) => this.renderRow(row)));
  }

  private renderRow(row: T): HTMLTableRowElement {
    const attrs = this.options.rowAttrs?.(row) ?? {};
    const key = this.options.rowKey(row);
    const tr = h('tr', { class: attrs.className, dataset: { tokenId: key, ...(attrs.dataset ?? {}) } });
    const selection = this.options.selection;
    if (selection) {
      const box = h('input', { type: 'checkbox', class: 'checkbox', 'aria-label': selection.rowLabel(row), checked: this.selected.has(key), dataset: { role: 'select-row' } });
      box.addEventListener('change', () => {
        if (box.checked) this.selected.add(key);
        else this.selected.delete(key);
        this.syncPageBox();
        selection.onChange();
      });
      tr.appendChild(h('td', { class: 'ata-select-col' }, box));
    }
    for (const column of this.options.columns) {
      const content = column.cell(row);
      const children = Array.isArray(content) ? content : [content];
      const cell = column.rowHeader
        ? h('th', { scope: 'row', class: column.className, dataset: { cell: column.id } }, ...children)
        : h('td', { class: column.className, dataset: { cell: column.id } }, ...children);
      tr.appendChild(cell);
    }
    const actions = (this.options.actions ?? []).filter((a) => a.visible?.(row) ?? true);
    if (this.options.actions?.length) {
      const menuLabel = this.options.actionsMenu;
      tr.appendChild(h('td', { class: 'ata-actions' }, ...(menuLabel ? actionsMenu(row, key, menuLabel(row), actions)
        : [h('div', { class: 'aui-buttons' }, ...actions.map((action) => {
          const button = h('button', {
            type: 'button', class: `aui-button aui-button-compact${action.danger ? ' ata-button-danger-subtle' : ''}`,
            'aria-label': action.ariaLabel(row), dataset: { action: action.id },
          }, action.label);
          button.addEventListener('click', () => action.run(row, button));
          return button;
        }))])));
    }
    return tr;
  }
}

let menuCount = 0;

/** A row's actions as an AUI dropdown2: the "…" trigger and its menu; an action's dialog returns focus to the trigger. */
function actionsMenu<T>(row: T, key: string, label: string, actions: ReadonlyArray<RowAction<T>>): Child[] {
  const id = `ata-row-actions-${++menuCount}`;
  const trigger = h('button', {
    type: 'button', class: 'aui-button aui-button-subtle aui-button-compact aui-dropdown2-trigger aui-dropdown2-trigger-arrowless',
    'aria-controls': id, 'aria-haspopup': 'true', 'aria-label': label, dataset: { role: 'row-actions', tokenId: key },
  }, h('span', { class: 'aui-icon aui-icon-small aui-iconfont-more', 'aria-hidden': 'true' }));
  const items = actions.map((action) => {
    const item = document.createElement('aui-item-link');
    item.dataset.action = action.id;
    item.textContent = action.label;
    item.addEventListener('click', () => action.run(row, trigger));
    // AUI closes the menu on Enter or Space but clicks only items with an href.
    item.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      event.preventDefault();
      action.run(row, trigger);
    });
    return item;
  });
  const section = document.createElement('aui-section');
  section.append(...items);
  const menu = document.createElement('aui-dropdown-menu');
  menu.id = id;
  menu.append(section);
  return [trigger, menu];
}
