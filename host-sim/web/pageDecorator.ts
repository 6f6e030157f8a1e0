// Sitemesh-style decoration of plugin servlet pages, as Jira and Confluence do it. A servlet
// answers a complete HTML page whose <head> names a decorator:
//
//   <meta name="decorator" content="atl.admin">      the administration layout (header, sidebar)
//   <meta name="decorator" content="atl.general">    the general layout (header only)
//   <meta name="admin.active.tab" content="KEY">     the sidebar link to mark (a web-item key)
//
// The host keeps the page's title, the rest of its <head> (stylesheets, scripts) and its <body>,
// and sends them inside its own frame with AUI loaded. `atl.admin` pages need websudo and fall
// back to the general layout for users who are not administrators.
import type { Request, RequestHandler, Response } from 'express';
import { framedPage, requireWebSudo, type PageDeps } from './pageSupport';

const DECORATOR = /<meta\s+name="decorator"\s+content="(atl\.admin|atl\.general)"\s*\/?>/i;
const ACTIVE_TAB = /<meta\s+name="admin\.active\.tab"\s+content="([\w.:-]{1,100})"\s*\/?>/i;
const HEAD = /<head[^>]*>([\s\S]*?)<\/head>/i;
const BODY = /<body[^>]*>([\s\S]*)<\/body>/i;
const TITLE = /<title>([\s\S]*?)<\/title>/i;
const LANG = /<html[^>]*\slang="([A-Za-z_-]{2,20})"/i;
/** Head elements the frame writes itself. */
const FRAME_OWNED = [/<meta\s+charset[^>]*>/gi, /<meta\s+name="(viewport|decorator|admin\.active\.[a-z]+)"[^>]*>/gi, TITLE, /<link\s+rel="icon"[^>]*>/gi];

const ENTITIES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function unescapeText(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e).trim();
}

function isHtml(res: Response): boolean {
  const type = res.get('Content-Type');
  return type === undefined || /^text\/html\b/i.test(type);
}

/** The decorated page, or null when the browser was sent elsewhere (websudo). */
async function decorate(deps: PageDeps, req: Request, res: Response, page: string, decorator: string): Promise<string | null> {
  const admin = decorator === 'atl.admin' && res.statusCode < 400 && req.principal !== undefined
    && await deps.runtime.users.isAdmin(req.principal.user.key);
  if (admin && !requireWebSudo(deps, req, res)) return null;
  const head = HEAD.exec(page)?.[1] ?? '';
  const lang = LANG.exec(page)?.[1];
  const ownHead = FRAME_OWNED.reduce((text, pattern) => text.replace(pattern, ''), head).trim();
  return framedPage(deps, req, {
    title: unescapeText(TITLE.exec(head)?.[1] ?? ''),
    body: BODY.exec(page)?.[1] ?? '',
    head: ownHead,
    layout: admin ? 'admin' : 'general',
    activeItem: ACTIVE_TAB.exec(head)?.[1],
    locale: lang ? deps.i18n.resolveLocale(lang) : undefined,
  });
}

/** Wraps `res.send` of the servlets behind it: pages that name a decorator are sent in the host frame. */
export function pageDecorator(deps: PageDeps): RequestHandler {
  return (req, res, next) => {
    const send = res.send.bind(res);
    res.send = function sendDecorated(body?: unknown): Response {
      const decorator = typeof body === 'string' && isHtml(res) ? DECORATOR.exec(HEAD.exec(body)?.[1] ?? '')?.[1] : undefined;
      if (!decorator) return send(body);
      res.send = send;
      decorate(deps, req, res, body as string, decorator)
        .then((html) => { if (html !== null) send(html); })
        .catch(next);
      return res;
    };
    next();
  };
}
