import express, { type Request, type Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { canonicalTarget, type CanonicalTarget } from '../service/auth/RequestTarget';
import type { BodyOutcome, TokenRequestView } from '../service/auth/TokenRequestView';

const jsonParser = express.json({ limit: '1mb' });
const TOO_LARGE: BodyOutcome = Object.freeze({ ok: false, reason: 'TOO_LARGE' });

/**
 * The canonical view of an express request, built once by the filter: the target as routing
 * read it (`originalUrl` against `baseUrl + path`), express's own parsed query, the host's
 * client IP, and the body read once through the JSON parser the host would use.
 */
export class ExpressRequestView implements TokenRequestView {
  readonly method: string;
  readonly target: CanonicalTarget;
  readonly headers: IncomingHttpHeaders;
  readonly ip: string;

  constructor(private readonly req: Request, private readonly res: Response, contextPath: string) {
    this.method = req.method;
    this.target = canonicalTarget(req.originalUrl, req.baseUrl + req.path, contextPath);
    this.headers = req.headers;
    this.ip = req.clientIp ?? req.ip ?? req.socket.remoteAddress ?? 'unknown';
  }

  query(): Readonly<Record<string, string | string[] | undefined>> {
    return this.req.query as Record<string, string | string[] | undefined>;
  }

  /**
   * Reads the JSON body (1 MB, as the host would) so body rules can see it; the host's own body
   * parser then skips the consumed stream (`_body`) and resources get the same object. A body
   * that is not JSON leaves it undefined, so JSON conditions fail closed.
   */
  readBody(): Promise<BodyOutcome> {
    const req = this.req;
    return new Promise((resolve) => {
      jsonParser(req, this.res, (err?: unknown) => {
        if (req.body !== undefined) (req as { _body?: boolean })._body = true;
        resolve((err as { type?: string } | undefined)?.type === 'entity.too.large' ? TOO_LARGE : { ok: true, body: req.body });
      });
    });
  }
}
