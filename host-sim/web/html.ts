// HTML helpers for the host pages: escaping and the AUI-look page frame.
import type { HostUser } from '../spi';

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c] as string));
}

export interface PageFrame {
  readonly title: string;
  readonly productName: string;
  readonly contextPath: string;
  readonly locale: string;
  readonly user?: HostUser;
  /** Header links: [href, label]. */
  readonly menu?: ReadonlyArray<readonly [string, string]>;
  /** Already-escaped HTML. */
  readonly body: string;
}

/** A complete page in the Atlassian User Interface look, with the bundled stylesheet only. */
export function renderPage(frame: PageFrame): string {
  const menu = (frame.menu ?? []).map(([href, label]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></li>`).join('');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(frame.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(frame.title)} - ${escapeHtml(frame.productName)}</title>
<link rel="stylesheet" href="${escapeHtml(frame.contextPath)}/static/hostsim/aui-lite.css">
</head>
<body class="aui-page-${frame.user ? 'focused' : 'anonymous'}">
<header class="aui-header" role="banner">
<a class="aui-header-logo" href="${escapeHtml(frame.contextPath)}/">${escapeHtml(frame.productName)}</a>
${frame.user ? `<ul class="aui-nav aui-header-secondary" id="header-user-menu"><li class="aui-header-user">${escapeHtml(frame.user.displayName)}</li>${menu}</ul>` : ''}
</header>
<main class="aui-page-panel" id="main" role="main">
${frame.body}
</main>
</body>
</html>`;
}
