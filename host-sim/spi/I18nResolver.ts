/**
 * Message lookup in the plugin's `.properties` bundles (SAL `I18nResolver`).
 * Placeholders are `{0}`, `{1}`, … as in Java's MessageFormat; `''` is a literal quote.
 */
export interface I18nResolver {
  /** The message for `key` in `locale` (falls back to English, then to the key itself). */
  getText(locale: string, key: string, ...args: ReadonlyArray<string | number>): string;
  /**
   * The best supported locale for a user's stored locale and/or an `Accept-Language`
   * header: an explicit header wins, then the user's locale, then `en`. Returns e.g. `de`.
   */
  resolveLocale(acceptLanguage: string | undefined, userLocale?: string): string;
  /** Locales that have a bundle, e.g. `['en', 'de']`. */
  supportedLocales(): readonly string[];
  /** Every key/message of the bundle for a locale (English filled in), for client-side UI. */
  getBundle(locale: string): Readonly<Record<string, string>>;
}
