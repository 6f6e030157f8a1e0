// HTML helpers for the host pages: escaping and the page frame in Atlassian's own UI library
// (AUI, served from node_modules as the `com.atlassian.auiplugin:ajs` web resource).
import type { HostUser } from '../spi';
import { AJS_RESOURCE_PATH } from './webResources';

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] as string));
}

/** `general`: header and content; `admin`: plus the administration sidebar; `focused`: a small centred panel (login, websudo). */
export type PageLayout = 'general' | 'admin' | 'focused';

export interface NavLink {
  readonly id: string;
  readonly href: string;
  readonly label: string;
  readonly current?: boolean;
}

/** A heading with its links, e.g. "API Tokens" → Token Manager, Settings. */
export interface NavSection {
  readonly id: string;
  readonly heading: string;
  readonly items: readonly NavLink[];
}

/** The header's links for a logged-in user. */
export interface HeaderLinks {
  readonly profile: NavLink;
  readonly admin?: NavLink;
  /** Items plugins add to the user menu (`profile-menu` web items). */
  readonly extra: readonly NavLink[];
  readonly logout: NavLink;
}

export interface PageFrame {
  /** Plain text (escaped here). */
  readonly title: string;
  readonly productName: string;
  readonly contextPath: string;
  readonly locale: string;
  readonly layout: PageLayout;
  readonly user?: HostUser;
  readonly header?: HeaderLinks;
  /** The administration sidebar (admin layout only). */
  readonly sidebar?: readonly NavSection[];
  readonly labels: { readonly skipToContent: string; readonly siteNav: string; readonly adminNav: string; readonly footer: string };
  /** Already-escaped HTML added to `<head>` (a decorated page's own stylesheets and scripts). */
  readonly head?: string;
  /** Already-escaped HTML. */
  readonly body: string;
}

/** The `<link>` and `<script>` tags of the AJS web resource, for a page's `<head>` (scripts deferred, in order). */
export function ajsResourceTags(contextPath: string): string {
  const base = escapeHtml(`${contextPath}${AJS_RESOURCE_PATH}`);
  return `<link rel="stylesheet" href="${base}/aui-prototyping.css">
<script src="${base}/jquery.js" defer></script>
<script src="${base}/aui-prototyping.js" defer></script>`;
}

/** An AUI page header with one `<h1>` (escaped here). */
export function pageHeader(title: string): string {
  return `<header class="aui-page-header"><div class="aui-page-header-inner"><div class="aui-page-header-main"><h1>${escapeHtml(title)}</h1></div></div></header>`;
}

function link(l: NavLink, className = ''): string {
  const classes = className ? ` class="${className}"` : '';
  return `<a id="${escapeHtml(l.id)}" href="${escapeHtml(l.href)}"${classes}${l.current ? ' aria-current="page"' : ''}>${escapeHtml(l.label)}</a>`;
}

function renderHeader(frame: PageFrame): string {
  const h = frame.header;
  const items = h ? [
    ...(h.admin ? [h.admin] : []),
    h.profile,
    ...h.extra,
    h.logout,
  ].map((l) => `<li>${link(l)}</li>`).join('') : '';
  return `<header id="header" role="banner">
<nav class="aui-header" aria-label="${escapeHtml(frame.labels.siteNav)}">
<div class="aui-header-inner">
<div class="aui-header-primary"><span id="logo" class="aui-header-logo aui-header-logo-textonly"><a href="${escapeHtml(frame.contextPath)}/"><span class="aui-header-logo-device">${escapeHtml(frame.productName)}</span></a></span></div>
${h ? `<div class="aui-header-secondary"><ul class="aui-nav" id="header-user-menu">${items}</ul></div>` : ''}
</div>
</nav>
</header>`;
}

function renderSidebar(frame: PageFrame): string {
  const sections = (frame.sidebar ?? []).map((section) => {
    const headingId = `${section.id}-heading`;
    const items = section.items.map((item) => `<li${item.current ? ' class="aui-nav-selected"' : ''}>${link(item)}</li>`).join('');
    return `<div class="aui-nav-heading" id="${escapeHtml(headingId)}"><strong>${escapeHtml(section.heading)}</strong></div>`
      + `<ul class="aui-nav" id="${escapeHtml(section.id)}" aria-labelledby="${escapeHtml(headingId)}">${items}</ul>`;
  }).join('\n');
  return `<div class="aui-page-panel-nav"><nav class="aui-navgroup aui-navgroup-vertical" id="admin-sidebar" aria-label="${escapeHtml(frame.labels.adminNav)}"><div class="aui-navgroup-inner">
${sections}
</div></nav></div>`;
}

/** A complete page: AUI's header, the layout's panel and the body in `<main id="main">`. */
export function renderPage(frame: PageFrame): string {
  const focused = frame.layout === 'focused';
  const bodyClass = focused ? 'aui-layout aui-theme-default aui-page-focused aui-page-focused-medium' : 'aui-layout aui-theme-default';
  const main = `<main id="main" class="aui-page-panel-content" tabindex="-1">\n${frame.body}\n</main>`;
  return `<!DOCTYPE html>
<html lang="${escapeHtml(frame.locale.replace('_', '-'))}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(frame.title)} - ${escapeHtml(frame.productName)}</title>
<link rel="icon" href="data:,">
${ajsResourceTags(frame.contextPath)}
<link rel="stylesheet" href="${escapeHtml(frame.contextPath)}/static/hostsim/host.css">
${frame.head ?? ''}
</head>
<body class="${bodyClass}" data-layout="${frame.layout}">
<div id="page">
<a class="aui-skip-link" href="#main">${escapeHtml(frame.labels.skipToContent)}</a>
${renderHeader(frame)}
<div id="content">
<div class="aui-page-panel"><div class="aui-page-panel-inner">
${frame.layout === 'admin' ? renderSidebar(frame) : ''}
${main}
</div></div>
</div>
<footer id="footer" role="contentinfo"><section class="footer-body"><p>${escapeHtml(frame.labels.footer)}</p></section></footer>
</div>
</body>
</html>`;
}
