import type { I18nResolver } from '../../host-sim/spi';

/** Every UI key starts with this prefix (merged into the plugin bundle at integration). */
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

/** Server-side lookup of a UI string (`key` without the prefix). */
export function uiText(i18n: I18nResolver, locale: string, key: string, ...args: ReadonlyArray<string | number>): string {
  return i18n.getText(locale, UI_KEY_PREFIX + key, ...args);
}
