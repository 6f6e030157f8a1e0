// AUI forms: a field group per input (label, description, inline error), radio and checkbox
// groups, and the API's per-field errors shown next to their fields.
import { h, uid, type Child } from './dom';

export type FieldInput = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** One field group and its inline error slot. */
export class Field<I extends FieldInput = FieldInput> {
  readonly group: HTMLElement;
  readonly error: HTMLElement;

  constructor(readonly label: string, readonly input: I, options: { description?: Child; required?: string; className?: string; extra?: Child } = {}) {
    if (!input.id) input.id = uid('field');
    this.error = h('div', { class: 'error', id: `${input.id}-error`, role: 'alert' });
    const described: string[] = [];
    let description: HTMLElement | null = null;
    if (options.description) {
      description = h('div', { class: 'description', id: `${input.id}-description` }, options.description);
      described.push(description.id);
    }
    if (described.length) input.setAttribute('aria-describedby', described.join(' '));
    if (options.required) input.setAttribute('aria-required', 'true');
    const labelEl = h('label', { for: input.id }, label,
      options.required ? h('span', { class: 'aui-icon icon-required', 'aria-hidden': 'true' }, options.required) : null);
    this.group = h('div', { class: `field-group${options.className ? ` ${options.className}` : ''}` }, labelEl, input, options.extra, description, this.error);
  }

  /** Shows (or with null clears) the inline error; the input is marked invalid and described by it. */
  setError(message: string | null): void {
    this.error.textContent = message ?? '';
    const describedBy = (this.input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && id !== this.error.id);
    if (message) {
      this.input.setAttribute('aria-invalid', 'true');
      describedBy.unshift(this.error.id);
    } else {
      this.input.removeAttribute('aria-invalid');
    }
    if (describedBy.length) this.input.setAttribute('aria-describedby', describedBy.join(' '));
    else this.input.removeAttribute('aria-describedby');
  }

  get value(): string {
    return this.input.value;
  }
}

/** A text input (AUI `text` class). */
export function textInput(name: string, attrs: Record<string, string | boolean | undefined> = {}): HTMLInputElement {
  return h('input', { class: 'text', type: 'text', name, autocomplete: 'off', ...attrs });
}

export function textArea(name: string, attrs: Record<string, string | boolean | undefined> = {}): HTMLTextAreaElement {
  return h('textarea', { class: 'textarea ata-mono', name, rows: '3', spellcheck: 'false', ...attrs });
}

export function select(name: string, options: ReadonlyArray<{ value: string; label: string; selected?: boolean }>): HTMLSelectElement {
  return h('select', { class: 'select', name }, ...options.map((o) => h('option', { value: o.value, selected: o.selected === true }, o.label)));
}

/** A checkbox in AUI's checkbox layout, with its own description and error slot. */
export class CheckboxField {
  readonly input: HTMLInputElement;
  readonly group: HTMLElement;
  readonly error: HTMLElement;

  constructor(name: string, label: string, description?: string) {
    this.input = h('input', { class: 'checkbox', type: 'checkbox', name, id: uid('check') });
    this.error = h('div', { class: 'error', id: `${this.input.id}-error`, role: 'alert' });
    const desc = description ? h('div', { class: 'description', id: `${this.input.id}-description` }, description) : null;
    if (desc) this.input.setAttribute('aria-describedby', desc.id);
    this.group = h('div', { class: 'checkbox' }, this.input, h('label', { for: this.input.id }, label), desc, this.error);
  }

  setError(message: string | null): void {
    this.error.textContent = message ?? '';
    if (message) this.input.setAttribute('aria-invalid', 'true');
    else this.input.removeAttribute('aria-invalid');
  }
}

/** A radio button in AUI's radio layout. */
export function radio(name: string, value: string, label: string, checked = false): { wrapper: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { class: 'radio', type: 'radio', name, value, id: uid('radio'), checked });
  return { input, wrapper: h('div', { class: 'radio' }, input, h('label', { for: input.id }, label)) };
}

/** A section of a long form: a fieldset whose legend reads as a heading. */
export function sectionFieldset(legend: string, ...children: Child[]): HTMLFieldSetElement {
  return h('fieldset', { class: 'ata-section' }, h('legend', {}, legend), ...children);
}

/** `<fieldset class="group">` with a legend. */
export function fieldset(legend: string, ...children: Child[]): HTMLFieldSetElement {
  return h('fieldset', { class: 'group' }, h('legend', {}, h('span', {}, legend)), ...children);
}

export interface ErrorTarget {
  setError(message: string | null): void;
}

/**
 * Shows the API's `errors` map next to the fields (a field named `restrictions` also takes
 * `restrictions.rules[0].urlPattern`); clears the others. Returns the messages no field took.
 */
export function showFieldErrors(fields: Readonly<Record<string, ErrorTarget>>, errors: Readonly<Record<string, string>>): string[] {
  const byField = new Map<string, string[]>();
  const unmatched: string[] = [];
  for (const [name, message] of Object.entries(errors)) {
    const target = Object.prototype.hasOwnProperty.call(fields, name) ? name : name.split(/[.[]/)[0];
    if (Object.prototype.hasOwnProperty.call(fields, target)) byField.set(target, [...(byField.get(target) ?? []), message]);
    else unmatched.push(message);
  }
  for (const [name, field] of Object.entries(fields)) field.setError(byField.get(name)?.join(' ') ?? null);
  return unmatched;
}

/** Focuses the first invalid input in `root`, if any. */
export function focusFirstInvalid(root: ParentNode): void {
  root.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

/** AUI's button container for a form. */
export function buttons(...children: Child[]): HTMLElement {
  return h('div', { class: 'buttons-container' }, h('div', { class: 'buttons' }, ...children));
}
