// An I18nResolver over a `.properties` bundle: `<base>.properties` is English, `<base>_de.properties`
// German, `<base>_pt_BR.properties` Brazilian Portuguese, and so on.
import fs from 'node:fs';
import path from 'node:path';
import type { I18nResolver } from '../../spi/I18nResolver';
import { parseProperties } from './javaProperties';
import { formatMessage } from './messageFormat';

const DEFAULT_LOCALE = 'en';

export class PropertiesI18nResolver implements I18nResolver {
  private readonly bundles = new Map<string, Readonly<Record<string, string>>>();

  /** `bases` are bundle base paths, merged in order (later ones win), e.g. `<root>/i18n/apitokenauth`. */
  constructor(bases: readonly string[]) {
    for (const base of bases) this.load(base);
    if (!this.bundles.has(DEFAULT_LOCALE)) this.bundles.set(DEFAULT_LOCALE, {});
  }

  getText(locale: string, key: string, ...args: ReadonlyArray<string | number>): string {
    const pattern = this.lookup(locale, key);
    return pattern === undefined ? key : formatMessage(pattern, args);
  }

  resolveLocale(acceptLanguage: string | undefined, userLocale?: string): string {
    for (const tag of parseAcceptLanguage(acceptLanguage)) {
      const match = this.match(tag);
      if (match) return match;
    }
    return (userLocale && this.match(userLocale)) || DEFAULT_LOCALE;
  }

  supportedLocales(): readonly string[] {
    return [...this.bundles.keys()].sort((a, b) => (a === DEFAULT_LOCALE ? -1 : b === DEFAULT_LOCALE ? 1 : a.localeCompare(b)));
  }

  getBundle(locale: string): Readonly<Record<string, string>> {
    const resolved = this.match(locale) ?? DEFAULT_LOCALE;
    const language = resolved.split('_')[0];
    return { ...this.bundles.get(DEFAULT_LOCALE), ...this.bundles.get(language), ...this.bundles.get(resolved) };
  }

  private lookup(locale: string, key: string): string | undefined {
    const resolved = this.match(locale) ?? DEFAULT_LOCALE;
    const language = resolved.split('_')[0];
    return this.bundles.get(resolved)?.[key] ?? this.bundles.get(language)?.[key] ?? this.bundles.get(DEFAULT_LOCALE)?.[key];
  }

  /** `de-DE`, `de_DE` or `de` → the best bundle locale (`de_DE`, else `de`), or null. */
  private match(tag: string): string | null {
    const parts = tag.trim().replace(/-/g, '_').split('_').filter(Boolean);
    if (!parts.length) return null;
    const language = parts[0].toLowerCase();
    if (parts.length > 1) {
      const full = `${language}_${parts[1].toUpperCase()}`;
      if (this.bundles.has(full)) return full;
    }
    return this.bundles.has(language) ? language : null;
  }

  private load(base: string): void {
    const dir = path.dirname(base);
    const name = path.basename(base);
    let files: string[];
    try {
      files = fs.readdirSync(dir);
    } catch {
      return;
    }
    const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:_([a-z]{2,3})(?:_([A-Za-z]{2}))?)?\\.properties$`);
    for (const file of files.sort()) {
      const m = pattern.exec(file);
      if (!m) continue;
      const locale = m[1] ? (m[2] ? `${m[1]}_${m[2].toUpperCase()}` : m[1]) : DEFAULT_LOCALE;
      const messages = parseProperties(fs.readFileSync(path.join(dir, file), 'utf8'));
      this.bundles.set(locale, { ...this.bundles.get(locale), ...messages });
    }
  }
}

/** Language tags of an Accept-Language header, best first (q=0 and `*` dropped). */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((e) => e.tag && e.tag !== '*' && Number.isFinite(e.q) && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((e) => e.tag);
}
