// One access line per request at LOG_LEVEL=debug (or silly): method, path without the query,
// status, duration in ms, user name, token id (token requests), request id and node. Never a
// query string, header value, cookie, body or password. At the default level the only work per
// request is one comparison of the logger's level; no closure is created per request.
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../spi';

const MAX_PATH = 300;

/**
 * The path of a request target, without query, fragment or `;` parameters (`;jsessionid=…`
 * carries a session id), at most 300 characters.
 */
export function loggablePath(originalUrl: string): string {
  let end = originalUrl.length;
  for (const stop of ['?', '#', ';']) {
    const at = originalUrl.indexOf(stop);
    if (at !== -1 && at < end) end = at;
  }
  return originalUrl.slice(0, Math.min(end, MAX_PATH));
}

/** The fields of the access line for a finished (or aborted) request. */
export interface AccessLine {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly user?: string;
  readonly tokenId?: string;
  readonly requestId?: string;
  /** false when the client went away before the response was complete. */
  readonly completed: boolean;
}

export function accessLineOf(req: Request, res: Response, startedNs: bigint): AccessLine {
  const principal = req.principal;
  return {
    method: req.method,
    path: loggablePath(req.originalUrl),
    status: res.statusCode,
    durationMs: Math.round(Number(process.hrtime.bigint() - startedNs) / 10_000) / 100,
    user: principal?.user.name,
    tokenId: principal?.method === 'api-token' ? principal.credentialId : undefined,
    requestId: typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined,
    completed: res.writableFinished,
  };
}

/** The middleware; put it right after the request context (request id, client IP). */
export function accessLog(logger: Logger): RequestHandler {
  const log = logger.child({ module: 'AccessLog' });
  const levels = log.levels;
  const debug = levels.debug;

  function onClose(this: Response): void {
    log.debug('request', accessLineOf(this.req, this, this.locals.accessLogStartedNs as bigint));
  }

  return (_req, res, next) => {
    if (levels[log.level] >= debug) {
      res.locals.accessLogStartedNs = process.hrtime.bigint();
      res.once('close', onClose);
    }
    next();
  };
}
