// Feedback: AUI flags for results (top right, announced), AUI messages inside forms and dialogs.
import { escapeHtml, h, replaceChildren } from './dom';

export type MessageType = 'success' | 'info' | 'warning' | 'error';

/** An AUI flag: success and info close by themselves, warnings and errors stay until closed. */
export function flag(type: MessageType, text: string): void {
  const AJS = window.AJS;
  if (!AJS) return;
  AJS.flag({ type, body: `<p>${escapeHtml(text)}</p>`, close: type === 'success' || type === 'info' ? 'auto' : 'manual' });
}

/** An AUI message (errors as alerts) in `container`, replacing what was there; empty text clears it. */
export function showMessage(container: Element, type: MessageType, text: string): void {
  if (!text) {
    replaceChildren(container);
    return;
  }
  replaceChildren(container, h('div', {
    class: `aui-message aui-message-${type}`, role: type === 'error' ? 'alert' : 'status', dataset: { type },
  }, h('p', {}, text)));
}
