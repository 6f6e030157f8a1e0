// Dialogs on AUI's dialog2: a modal layer with a header, scrolling content and a footer whose
// buttons stay visible. Escape asks the dialog to close (which it may refuse, e.g. to confirm
// first); focus moves into the dialog and back to the button that opened it.
import type { Translate } from '../shared/messageFormat';
import { h, uid, type Child } from './dom';

export type DialogSize = 'small' | 'medium' | 'large';

export interface DialogOptions {
  readonly title: string;
  readonly size?: DialogSize;
  /** AUI's warning style, for destructive confirmations. */
  readonly warning?: boolean;
  /** A data-role for tests and styling. */
  readonly role?: string;
  /** Where focus goes when the dialog is gone. */
  readonly returnFocus?: HTMLElement | null;
  /** Asked before a close by Escape or a cancel button; false keeps the dialog open. */
  readonly beforeCancel?: () => boolean | Promise<boolean>;
}

/** One open dialog; `result` settles with the value passed to `close` (undefined when cancelled). */
export class Dialog<T> {
  readonly element: HTMLElement;
  readonly content: HTMLElement;
  readonly actions: HTMLElement;
  readonly hint: HTMLElement;
  readonly result: Promise<T | undefined>;
  private resolve!: (value: T | undefined) => void;
  private closed = false;

  constructor(private readonly options: DialogOptions) {
    const titleId = uid('dialog-title');
    this.content = h('div', { class: 'aui-dialog2-content' });
    this.actions = h('div', { class: 'aui-dialog2-footer-actions' });
    this.hint = h('div', { class: 'aui-dialog2-footer-hint' });
    this.element = h('section', {
      role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId, tabindex: '-1',
      class: `aui-layer aui-dialog2 aui-dialog2-${options.size ?? 'medium'}${options.warning ? ' aui-dialog2-warning' : ''} ata-dialog`,
      'data-aui-modal': 'true', 'data-aui-remove-on-hide': 'true', hidden: true, dataset: options.role ? { role: options.role } : {},
    },
    // Inside role="dialog" a <header>/<footer> would count as a second banner/contentinfo landmark.
    h('header', { class: 'aui-dialog2-header', role: 'none' }, h('h2', { class: 'aui-dialog2-header-main', id: titleId }, options.title)),
    this.content,
    h('footer', { class: 'aui-dialog2-footer', role: 'none' }, this.actions, this.hint));
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      void this.cancel();
    });
    this.result = new Promise((resolve) => { this.resolve = resolve; });
  }

  /** Adds a footer button; `primary` gets AUI's primary style. */
  button(label: string, kind: 'primary' | 'default' | 'link' | 'danger', onClick: (button: HTMLButtonElement) => void, attrs: Record<string, string> = {}): HTMLButtonElement {
    const cls = kind === 'primary' ? 'aui-button aui-button-primary' : kind === 'link' ? 'aui-button aui-button-link'
      : kind === 'danger' ? 'aui-button aui-button-danger' : 'aui-button';
    const button = h('button', { type: 'button', class: cls, ...attrs }, label);
    button.addEventListener('click', () => onClick(button));
    this.actions.appendChild(button);
    return button;
  }

  show(): this {
    document.body.appendChild(this.element);
    const AJS = window.AJS;
    if (AJS) AJS.dialog2(this.element).show();
    else this.element.hidden = false;
    // AUI places the first focus in a later task (a timer queued by show): until then, typing into
    // another field would be split when that focus lands. This timer runs after AUI's and marks
    // the dialog ready for input.
    setTimeout(() => this.element.setAttribute('data-ready', ''), 0);
    return this;
  }

  /** Closes with a result. */
  close(value?: T): void {
    if (this.closed) return;
    this.closed = true;
    const AJS = window.AJS;
    if (AJS) AJS.dialog2(this.element).hide();
    this.element.remove();
    const target = this.options.returnFocus;
    if (target && document.contains(target)) setTimeout(() => target.focus(), 0);
    this.resolve(value);
  }

  /** Escape or a cancel button: closes without a result unless `beforeCancel` refuses. */
  async cancel(): Promise<void> {
    if (this.closed) return;
    if (this.options.beforeCancel && !(await this.options.beforeCancel())) return;
    this.close(undefined);
  }
}

export interface ConfirmOptions {
  readonly title: string;
  readonly message: Child;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly returnFocus?: HTMLElement | null;
  readonly role?: string;
}

/** A confirmation; focus starts on Cancel for destructive ones. Resolves true when confirmed. */
export async function confirmDialog(t: Translate, options: ConfirmOptions): Promise<boolean> {
  const dialog = new Dialog<boolean>({ title: options.title, size: 'small', warning: options.danger, returnFocus: options.returnFocus, role: options.role ?? 'confirm' });
  dialog.content.appendChild(typeof options.message === 'string' ? h('p', {}, options.message) : (options.message || h('p')));
  dialog.button(options.confirmLabel, options.danger ? 'danger' : 'primary', () => dialog.close(true), { 'data-action': 'confirm' });
  const cancel = dialog.button(t('common.cancel'), 'link', () => { void dialog.cancel(); });
  if (options.danger) cancel.setAttribute('autofocus', '');
  else dialog.actions.querySelector('button')?.setAttribute('autofocus', '');
  dialog.show();
  return (await dialog.result) === true;
}
