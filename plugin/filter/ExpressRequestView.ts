import express, { type Request, type Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { canonicalTarget, type CanonicalTarget } from '../service/auth/RequestTarget';
import { READING_METHODS, type BodyOutcome, type TokenRequestView } from '../service/auth/TokenRequestView';
import { clientAddressOf } from './clientAddress';

/** What the host's JSON body parser reads (host-sim/web/bodyParsing.ts): the same types, the same limit. */
const JSON_TYPES = ['application/json', 'application/*+json'];
const jsonParser = express.json({ limit: '1mb', type: JSON_TYPES });
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
  readonly changeWithBody: boolean;
  private body: Promise<BodyOutcome> | undefined;
  private bodyFailure: unknown;

  constructor(private readonly req: Request, private readonly res: Response, contextPath: string) {
    this.method = req.method;
    this.target = canonicalTarget(req.originalUrl, req.baseUrl + req.path, contextPath);
    this.headers = req.headers;
    this.ip = clientAddressOf(req);
    // `is` is null without a body, false for another type.
    this.changeWithBody = !READING_METHODS.has(this.method) && Boolean(req.is(JSON_TYPES));
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
    this.body ??= new Promise((resolve) => {
      jsonParser(req, this.res, (err?: unknown) => {
        if (req.body !== undefined) (req as { _body?: boolean })._body = true;
        this.bodyFailure = err;
        resolve((err as { type?: string } | undefined)?.type === 'entity.too.large' ? TOO_LARGE : { ok: true, body: err ? undefined : req.body });
      });
    });
    return this.body;
  }

  /**
   * Why the body read here could not be parsed (body-parser's error: 400 malformed, 413 too
   * large, 415 charset), for the host's error mapping once the request is admitted: the host's
   * own parser skips a body read before it.
   */
  bodyError(): unknown {
    return this.bodyFailure;
  }
}
