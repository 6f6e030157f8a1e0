// One access line per request at LOG_LEVEL=debug (or silly): method, path without the query,
// status, duration in ms, user name, token id (token requests), request id and node. Never a
// query string, header value, cookie, body, password or a token in the path. At the default
// level the only work per request is one comparison of the logger's level; no closure is
// created per request.
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../spi';

const MAX_PATH = 300;

/**
 * The path of a request target, without query, fragment or `;` parameters (`;jsessionid=…`
 * carries a session id), at most 300 characters; a segment holding a credential (see
 * {@link redactCredentials}) is replaced by its prefix and `…`.
 */
export function loggablePath(originalUrl: string, credentialPrefixes: readonly string[] = []): string {
  let end = originalUrl.length;
  for (const stop of ['?', '#', ';']) {
    const at = originalUrl.indexOf(stop);
    if (at !== -1 && at < end) end = at;
  }
  return redactCredentials(originalUrl.slice(0, end), credentialPrefixes).slice(0, MAX_PATH);
}

const ESCAPE = /%([0-9a-f]{2})/gi;

/**
 * A segment with each `%XX` read as one byte, until nothing changes (at most three rounds:
 * `%255F` is still `_` to a reader), lower-cased. Claimed prefixes are ASCII, so bytewise is
 * enough, and a malformed sequence elsewhere in the segment cannot stop it.
 */
function decodedLowerCase(segment: string): string {
  let text = segment;
  for (let i = 0; i < 3 && text.includes('%'); i++) text = text.replace(ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return text.toLowerCase();
}

/**
 * `path` with every segment that contains one of the plugins' claimed credential prefixes
 * (`credentialPrefix` in a descriptor, e.g. `apitok_`) — in any case and percent-encoding —
 * replaced by that prefix and `…`: a token pasted into a URL path (as an issue key, say) is
 * not written to the log. The whole segment goes, as nothing tells where the credential ends.
 */
export function redactCredentials(path: string, credentialPrefixes: readonly string[]): string {
  if (credentialPrefixes.length === 0) return path;
  const lower = path.toLowerCase();
  // Fast path: no prefix and nothing encoded that could spell one.
  if (!lower.includes('%') && !credentialPrefixes.some((p) => lower.includes(p.toLowerCase()))) return path;
  return path.split('/').map((segment) => {
    const decoded = decodedLowerCase(segment);
    const prefix = credentialPrefixes.find((p) => decoded.includes(p.toLowerCase()));
    return prefix === undefined ? segment : `${prefix}…`;
  }).join('/');
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

export function accessLineOf(req: Request, res: Response, startedNs: bigint, credentialPrefixes: readonly string[] = []): AccessLine {
  const principal = req.principal;
  return {
    method: req.method,
    path: loggablePath(req.originalUrl, credentialPrefixes),
    status: res.statusCode,
    durationMs: Math.round(Number(process.hrtime.bigint() - startedNs) / 10_000) / 100,
    user: principal?.user.name,
    tokenId: principal?.method === 'api-token' ? principal.credentialId : undefined,
    requestId: typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined,
    completed: res.writableFinished,
  };
}

/**
 * The middleware; put it right after the request context (request id, client IP).
 * `credentialPrefixes`: the plugins' claimed credential prefixes, redacted from paths.
 */
export function accessLog(logger: Logger, credentialPrefixes: readonly string[] = []): RequestHandler {
  const log = logger.child({ module: 'AccessLog' });
  const levels = log.levels;
  const debug = levels.debug;

  function onClose(this: Response): void {
    log.debug('request', accessLineOf(this.req, this, this.locals.accessLogStartedNs as bigint, credentialPrefixes));
  }

  return (_req, res, next) => {
    if (levels[log.level] >= debug) {
      res.locals.accessLogStartedNs = process.hrtime.bigint();
      res.once('close', onClose);
    }
    next();
  };
}
