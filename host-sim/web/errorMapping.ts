// The one error-mapping middleware: typed errors → status + body in the API's shape;
// anything unexpected → 500 with a generic message (logged, never shown).
import type { ErrorRequestHandler, Request } from 'express';
import type { I18nResolver, Logger, Product } from '../spi';
import { isServiceUnavailable } from '../spi';
import { isHostError } from '../impl/HostError';
import { loggablePath } from './accessLog';
import { HOST_ERRORS, HttpError, msg, type HostErrorCode, type Message } from '../rest/HttpError';
import { escapeHtml } from './html';

/** The shape of error bodies: Jira REST, Confluence REST or the host's `{"errorMessage"}`. */
export type ErrorShape = 'jira' | 'confluence' | 'host' | 'html';

export function errorShapeFor(product: Product, path: string): ErrorShape {
  if (!path.startsWith('/rest/')) return 'html';
  if (product === 'jira' && /^\/rest\/(api\/(2|latest)|auth\/1)\//.test(path)) return 'jira';
  if (product === 'confluence' && path.startsWith('/rest/api/')) return 'confluence';
  return 'host';
}

/** Classifies an error thrown anywhere in the pipeline. */
export function toHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  if (isServiceUnavailable(err)) return new HttpError('SERVICE_UNAVAILABLE');
  if (isHostError(err)) {
    const detail = msg(`hostsim.hosterror.${err.code}`);
    return new HttpError(err.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', detail);
  }
  const e = err as { type?: unknown; status?: unknown; statusCode?: unknown };
  switch (e?.type) {
    case 'entity.too.large': return new HttpError('PAYLOAD_TOO_LARGE');
    case 'entity.parse.failed': return new HttpError('INVALID_JSON');
    case 'charset.unsupported':
    case 'encoding.unsupported': return new HttpError('UNSUPPORTED_MEDIA_TYPE');
    default: break;
  }
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 0;
  if (status === 413) return new HttpError('PAYLOAD_TOO_LARGE');
  if (status >= 400 && status < 500) return new HttpError(status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST');
  return null;
}

export interface ErrorMappingDeps {
  readonly product: Product;
  readonly contextPath: string;
  readonly i18n: I18nResolver;
  readonly logger: Logger;
  /** The plugins' claimed credential prefixes, redacted from logged paths. */
  readonly credentialPrefixes?: readonly string[];
}

export function errorMapping(deps: ErrorMappingDeps): ErrorRequestHandler {
  const log = deps.logger.child({ module: 'ErrorMapping' });
  const prefixes = deps.credentialPrefixes ?? [];
  return (err: unknown, req: Request, res, next) => {
    let error = toHttpError(err);
    if (!error) {
      log.error('Unexpected error', {
        requestId: res.locals.requestId, method: req.method, path: loggablePath(req.originalUrl, prefixes), error: err instanceof Error ? err.stack ?? err.message : String(err),
      });
      error = new HttpError('INTERNAL_ERROR');
    } else if (error.code === 'SERVICE_UNAVAILABLE') {
      log.debug('Database unavailable', { requestId: res.locals.requestId, path: loggablePath(req.originalUrl, prefixes) });
    }
    if (res.headersSent) {
      next(err);
      return;
    }
    const locale = deps.i18n.resolveLocale(req.headers['accept-language'], req.principal?.user.locale);
    const text = (m: Message): string => deps.i18n.getText(locale, m.key, ...(m.args ?? []));
    const message = text(error.detail ?? { key: HOST_ERRORS[error.code as HostErrorCode].key });
    // Built with fromEntries, so a field named "__proto__" stays an own (reported) entry.
    const fieldErrors: Record<string, string> = Object.fromEntries(Object.entries(error.fieldErrors ?? {}).map(([field, m]) => [field, text(m)]));
    res.status(error.status);
    for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
    const path = (req.originalUrl.split('?')[0] ?? '').slice(deps.contextPath.length);
    const shape = error.code === 'XSRF_CHECK_FAILED' && path.startsWith('/rest/') ? 'host' : errorShapeFor(deps.product, path);
    const hasFields = Object.keys(fieldErrors).length > 0;
    switch (shape) {
      case 'jira':
        res.json({ errorMessages: hasFields ? [] : [message], errors: fieldErrors });
        return;
      case 'confluence':
        res.json({ statusCode: error.status, message, errorMessage: message, ...(hasFields ? { errors: fieldErrors } : {}) });
        return;
      case 'host':
        res.json({ errorMessage: message, ...(hasFields ? { errors: fieldErrors } : {}) });
        return;
      default:
        res.type('html').send(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>${error.status}</title>`
          + `<link rel="stylesheet" href="${escapeHtml(deps.contextPath)}/static/hostsim/aui-lite.css"></head>`
          + `<body><main class="aui-page-panel"><div class="aui-message aui-message-error">${escapeHtml(message)}</div></main></body></html>`);
    }
  };
}
