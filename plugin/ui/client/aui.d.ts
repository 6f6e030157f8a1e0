// The parts of Atlassian's UI library (AUI, the host's `com.atlassian.auiplugin:ajs` web
// resource) that the page scripts use. AUI and jQuery are loaded by the host page before them.

interface AuiDialog2 {
  show(): AuiDialog2;
  hide(): AuiDialog2;
  remove(): void;
  on(event: 'show' | 'hide' | 'beforehide', handler: (event: Event) => void): AuiDialog2;
  off(event: string, handler?: (event: Event) => void): AuiDialog2;
}

interface AuiFlagOptions {
  type: 'success' | 'info' | 'warning' | 'error';
  /** Plain text: AUI escapes it. */
  title?: string;
  /** HTML: escape every dynamic value. */
  body?: string;
  close?: 'auto' | 'manual' | 'never';
  duration?: number;
}

interface AuiFlag extends HTMLElement {
  close(): void;
}

interface AuiDatePickerOptions {
  overrideBrowserDefault?: boolean;
  languageCode?: string;
  dateFormat?: string;
  minDate?: string;
  maxDate?: string;
}

interface AuiJQuery {
  /** `hide` exists once the picker replaces the browser's own (`overrideBrowserDefault`). */
  datePicker(options: AuiDatePickerOptions): { destroy(): void; reconfigure(options: AuiDatePickerOptions): void; hide?(): void };
}

interface AuiGlobal {
  dialog2(element: HTMLElement | string): AuiDialog2;
  flag(options: AuiFlagOptions): AuiFlag;
  $(element: HTMLElement): AuiJQuery;
  version?: string;
}

interface Window {
  AJS?: AuiGlobal;
}
