import { escapeHtml, jsonForScript } from './html';
import type { ClientEntry } from './ClientBundle';
import type { UiPageConfig } from './pageConfig';

/**
 * How the host frames a servlet page (Sitemesh decorators, as in Jira and Confluence):
 * `atl.admin` puts it into the administration layout (sidebar, websudo), `atl.general` into the
 * general one.
 */
export type Decorator = 'atl.admin' | 'atl.general';

/** The web section and items of the descriptor, for the sidebar's current link. */
export const ADMIN_SECTION = 'admin-sidebar/api-tokens-section';
export type AdminTab = 'token-manager-link' | 'token-settings-link';

/** Everything a servlet page needs; `bodyHtml` must already be escaped. */
export interface PageOptions {
  readonly locale: string;
  readonly title: string;
  readonly servletBase: string;
  readonly decorator: Decorator;
  readonly activeTab?: AdminTab;
  readonly bodyHtml: string;
  /** Inline configuration for the page script, and the script (bundled from client/<entry>.ts). */
  readonly config?: UiPageConfig;
  readonly script?: ClientEntry;
}

/** The id of the inline JSON block a page script reads its configuration from. */
export function configElementId(page: string): string {
  return `apitokenauth-config-${page}`;
}

/** An AUI page header with the page's one `<h1>`. */
export function pageHeader(title: string): string {
  return `<header class="aui-page-header"><div class="aui-page-header-inner"><div class="aui-page-header-main"><h1>${escapeHtml(title)}</h1></div></div></header>`;
}

/** The inline configuration block and the page script's tag. */
export function pageScripts(staticBase: string, config: UiPageConfig | undefined, script: ClientEntry | undefined): string {
  const json = config ? `<script type="application/json" id="${configElementId(config.page)}">${jsonForScript(config)}</script>` : '';
  const tag = script ? `<script src="${escapeHtml(`${staticBase}/${script}.js`)}" defer></script>` : '';
  return json + tag;
}

/**
 * A complete HTML page for the host to decorate: the title, the decorator and sidebar metas,
 * the plugin's stylesheet and script in `<head>`, and the content in `<body>`.
 */
export function renderPage(options: PageOptions): string {
  const staticBase = `${options.servletBase}/static`;
  const metas = [`<meta name="decorator" content="${options.decorator}">`];
  if (options.activeTab) {
    metas.push(`<meta name="admin.active.section" content="${ADMIN_SECTION}">`, `<meta name="admin.active.tab" content="${options.activeTab}">`);
  }
  return `<!DOCTYPE html>
<html lang="${escapeHtml(options.locale.replace('_', '-'))}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title)}</title>
${metas.join('\n')}
<link rel="stylesheet" href="${escapeHtml(`${staticBase}/ui.css`)}">
${options.script ? `<script src="${escapeHtml(`${staticBase}/${options.script}.js`)}" defer></script>` : ''}
</head>
<body>
${pageHeader(options.title)}
${options.bodyHtml}
${pageScripts(staticBase, options.config, undefined)}
</body>
</html>
`;
}
