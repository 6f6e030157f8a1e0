import type { HostUser } from '../../host-sim/spi';
import { escapeHtml, jsonForScript } from './html';
import type { UiPageConfig } from './pageConfig';

/** A link in the page header's navigation. */
export interface ChromeNavLink {
  readonly href: string;
  readonly label: string;
  readonly current: boolean;
}

/** Everything the page chrome needs; `bodyHtml` must already be escaped. */
export interface ChromeOptions {
  readonly locale: string;
  readonly title: string;
  /** Product name shown in the header, e.g. `Jira administration`. */
  readonly productLabel: string;
  readonly servletBase: string;
  readonly user?: HostUser;
  readonly nav: readonly ChromeNavLink[];
  readonly skipLinkLabel: string;
  readonly bodyHtml: string;
  /** Inline configuration for the page script, and the scripts to load (file names under /static). */
  readonly config?: UiPageConfig;
  readonly scripts?: readonly string[];
}

/** The id of the inline JSON block a page script reads its configuration from. */
export function configElementId(page: string): string {
  return `apitokenauth-config-${page}`;
}

/** Renders a complete HTML page with a simple AUI-look header for the servlet pages. */
export function renderPage(options: ChromeOptions): string {
  const staticBase = `${options.servletBase}/static`;
  const nav = options.nav.map((link) => `<li><a href="${escapeHtml(link.href)}"${link.current ? ' aria-current="page"' : ''}>${escapeHtml(link.label)}</a></li>`).join('');
  const userLabel = options.user ? `<span class="ata-header-user">${escapeHtml(options.user.displayName || options.user.name)}</span>` : '';
  const config = options.config
    ? `<script type="application/json" id="${configElementId(options.config.page)}">${jsonForScript(options.config)}</script>`
    : '';
  const scripts = (options.scripts ?? []).map((file) => `<script src="${escapeHtml(`${staticBase}/${file}`)}" defer></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(options.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(`${staticBase}/ui.css`)}">
</head>
<body class="ata-page">
<a class="ata-skip-link" href="#ata-main">${escapeHtml(options.skipLinkLabel)}</a>
<header class="ata-header" role="banner">
  <span class="ata-header-product">${escapeHtml(options.productLabel)}</span>
  <nav class="ata-header-nav" aria-label="${escapeHtml(options.productLabel)}"><ul>${nav}</ul></nav>
  ${userLabel}
</header>
<main id="ata-main" class="ata-main" tabindex="-1">
<h1 class="ata-page-title">${escapeHtml(options.title)}</h1>
${options.bodyHtml}
</main>
${config}
${scripts}
</body>
</html>
`;
}
