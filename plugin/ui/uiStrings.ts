import type { I18nResolver } from '../../host-sim/spi';
import { formatMessage, type MessageArg } from './shared/messageFormat';

/** Every UI key starts with this prefix. */
export const UI_KEY_PREFIX = 'apitokenauth.ui.';

/**
 * The UI strings for one locale, keyed without the prefix (`profile.title`), for the page
 * scripts. Only `apitokenauth.ui.*` keys are sent to the browser.
 */
export function uiStringsFor(i18n: I18nResolver, locale: string): Record<string, string> {
  const bundle = i18n.getBundle(locale);
  const strings: Record<string, string> = {};
  for (const [key, message] of Object.entries(bundle)) {
    if (key.startsWith(UI_KEY_PREFIX)) strings[key.slice(UI_KEY_PREFIX.length)] = message;
  }
  return strings;
}

/**
 * Server-side lookup of a UI string (`key` without the prefix), formatted by the same module
 * as in the browser (ICU MessageFormat with plurals).
 */
export function uiText(i18n: I18nResolver, locale: string, key: string, ...args: MessageArg[]): string {
  const pattern = i18n.getBundle(locale)[UI_KEY_PREFIX + key];
  return pattern === undefined ? UI_KEY_PREFIX + key : formatMessage(locale, pattern, args);
}
