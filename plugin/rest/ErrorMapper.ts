import type { ErrorRequestHandler, Request } from 'express';
import { isServiceUnavailable, type I18nResolver, type Logger } from '../../host-sim/spi';
import { ApiError, isApiError } from '../errors/ApiError';
import { i18nKeyOf } from '../errors/ErrorCode';
import { redactTokensInPath } from '../token/TokenFormat';

function fromBodyParser(err: unknown): ApiError | null {
  const type = (err as { type?: unknown }).type;
  if (type === 'entity.parse.failed') return new ApiError('MALFORMED_JSON');
  if (type === 'entity.too.large') return new ApiError('PAYLOAD_TOO_LARGE');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new ApiError('UNSUPPORTED_MEDIA_TYPE');
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return new ApiError('VALIDATION_FAILED');
  return null;
}

/**
 * The one error-mapping middleware of the plugin's routers: typed errors become their status
 * and a localised `{"errorMessage"}` (plus `errors` for fields); an unreachable database is a
 * 503; anything else a logged 500 without details.
 */
export function createErrorMapper(i18n: I18nResolver, logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    let apiError: ApiError;
    if (isApiError(err)) apiError = err;
    else if (isServiceUnavailable(err)) apiError = new ApiError('DATABASE_UNAVAILABLE', [], {}, { 'Retry-After': '5' });
    else {
      const mapped = fromBodyParser(err);
      if (mapped) apiError = mapped;
      else {
        logger.error('Unexpected error in a REST resource', { method: req.method, path: redactTokensInPath(req.path), error: err instanceof Error ? err.message : String(err) });
        apiError = new ApiError('INTERNAL_ERROR');
      }
    }
    const locale = localeOf(i18n, req);
    const body: { errorMessage: string; errors?: Record<string, string> } = {
      errorMessage: i18n.getText(locale, i18nKeyOf(apiError.code), ...apiError.args),
    };
    const fields = Object.entries(apiError.fieldErrors);
    if (fields.length > 0) {
      body.errors = Object.fromEntries(fields.map(([field, fe]) => [field, i18n.getText(locale, `apitokenauth.validation.${fe.key}`, ...(fe.args ?? []))]));
    }
    for (const [name, value] of Object.entries(apiError.headers)) res.setHeader(name, value);
    res.status(apiError.status).json(body);
  };
}

function localeOf(i18n: I18nResolver, req: Request): string {
  const header = req.headers['accept-language'];
  return i18n.resolveLocale(Array.isArray(header) ? header[0] : header, req.principal?.user.locale);
}
