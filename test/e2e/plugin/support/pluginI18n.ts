// The plugin's message bundle as the host resolves it, so that e2e suites compare answers with
// the bundle's text (English and German) instead of copying messages into the tests.
import path from 'node:path';
import { PropertiesI18nResolver } from '../../../../host-sim/impl/i18n/PropertiesI18nResolver';
import { ROOT } from '../../../support/hostServer';

export const pluginI18n = new PropertiesI18nResolver([path.join(ROOT, 'i18n', 'apitokenauth')]);

/** The message of an error code in a language, with its arguments. */
export function errorText(locale: 'en' | 'de', code: string, ...args: Array<string | number>): string {
  return pluginI18n.getText(locale, `apitokenauth.error.${code}`, ...args);
}
