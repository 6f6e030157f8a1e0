// Building DOM nodes from data: text is always set as text, never parsed as HTML.

export type Child = Node | string | null | undefined | false;

export interface Attrs {
  readonly [name: string]: string | number | boolean | null | undefined | ((event: Event) => void) | Readonly<Record<string, string>>;
}

/**
 * `h('button', { type: 'button', class: 'aui-button', onclick: fn, dataset: { action: 'x' } }, 'Label')`.
 * `true` sets an empty attribute, `false`/null/undefined leaves it out; `on…` functions become
 * listeners; `value`, `checked`, `selected`, `disabled` are set as properties (and as defaults).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      node.addEventListener(name.replace(/^on/, ''), value);
    } else if (name === 'dataset' && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) node.dataset[k] = v;
    } else if (name === 'value' && 'value' in node) {
      (node as HTMLInputElement).value = String(value);
      if (node instanceof HTMLInputElement) node.defaultValue = String(value);
    } else if ((name === 'checked' || name === 'selected') && typeof value === 'boolean') {
      (node as unknown as Record<string, boolean>)[name] = value;
      (node as unknown as Record<string, boolean>)[name === 'checked' ? 'defaultChecked' : 'defaultSelected'] = value;
    } else if (name === 'disabled' && typeof value === 'boolean') {
      (node as HTMLButtonElement).disabled = value;
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces the children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.textContent = '';
  append(parent, ...children);
}

let counter = 0;
/** A unique element id. */
export function uid(prefix: string): string {
  counter += 1;
  return `ata-${prefix}-${counter}`;
}

/** Escapes text for the few places AUI takes HTML (flag bodies). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] ?? c));
}

/** Runs `fn` once the document is parsed. */
export function onReady(fn: () => void): void {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn, { once: true });
  else fn();
}
