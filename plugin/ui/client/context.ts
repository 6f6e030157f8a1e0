// What every page script starts from: the inline configuration the server rendered, and the
// translator, clock and REST client built from it.
import { languageTag, translator, type Translate } from '../shared/messageFormat';
import type { UiPageConfig, UiPageKind } from '../pageConfig';
import { RestClient } from './api';
import { UserClock } from './time';
import { webSudoPrompt } from './webSudoPrompt';

export interface PageContext {
  readonly config: UiPageConfig;
  readonly t: Translate;
  readonly lang: string;
  readonly clock: UserClock;
  readonly api: RestClient;
}

/** The id of the inline JSON block a page script reads its configuration from. */
export function configElementId(page: UiPageKind): string {
  return `apitokenauth-config-${page}`;
}

/** The page's context, or null when the page has no configuration for `page`. */
export function pageContext(page: UiPageKind): PageContext | null {
  const el = document.getElementById(configElementId(page));
  if (!el?.textContent) return null;
  const config = JSON.parse(el.textContent) as UiPageConfig;
  const t = translator(config.locale, config.strings);
  const lang = languageTag(config.locale);
  const api = new RestClient(t, config.webSudoUrl ? webSudoPrompt(t, config.webSudoUrl) : undefined);
  const clock = new UserClock(lang, config.user.timeZone, config.serverTime, (exact) => t('time.exact', exact));
  return { config, t, lang, clock, api };
}
