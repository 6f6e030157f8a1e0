import { IntlMessageFormat } from 'intl-messageformat';

/**
 * The UI's message formatting, used by the server (page titles, server-rendered notes) and by
 * the browser bundle alike: ICU MessageFormat (`intl-messageformat`), which reads the bundle's
 * Java-style patterns as they are (`{0}` placeholders, `''` for an apostrophe, `'{0}'` quoted)
 * and adds plural forms: `{0, plural, one {# token} other {# tokens}}`.
 */

export type MessageArg = string | number;

const cache = new Map<string, IntlMessageFormat | null>();
const MAX_CACHED = 2000;

/** The BCP 47 tag for a bundle locale (`de_DE` → `de-DE`). */
export function languageTag(locale: string): string {
  return (locale || 'en').replace(/_/g, '-');
}

function compiled(locale: string, pattern: string): IntlMessageFormat | null {
  const key = `${locale}\u0000${pattern}`;
  let format = cache.get(key);
  if (format === undefined) {
    try {
      format = new IntlMessageFormat(pattern, languageTag(locale), undefined, { ignoreTag: true });
    } catch {
      format = null;
    }
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, format);
  }
  return format;
}

/** Formats `pattern` with positional arguments; a pattern that does not parse is returned as written. */
export function formatMessage(locale: string, pattern: string, args: readonly MessageArg[] = []): string {
  const format = compiled(locale, pattern);
  if (!format) return pattern;
  const values: Record<string, MessageArg> = {};
  args.forEach((value, index) => { values[String(index)] = value; });
  try {
    const out = format.format(values);
    return typeof out === 'string' ? out : String(out);
  } catch {
    return pattern;
  }
}

/** A translator over a strings map (keys without the `apitokenauth.ui.` prefix); a missing key is returned as it is. */
export type Translate = (key: string, ...args: MessageArg[]) => string;

export function translator(locale: string, strings: Readonly<Record<string, string>>): Translate {
  return (key, ...args) => (Object.prototype.hasOwnProperty.call(strings, key) ? formatMessage(locale, strings[key], args) : key);
}
