// JSON body parsing for REST: 1 MB limit and at most MAX_JSON_DEPTH levels of nesting; skipped
// when a plugin filter already read the body (its parsed value is still held to the depth limit).
import express, { type Request, type RequestHandler } from 'express';
import { HttpError, msg } from '../rest/HttpError';
import { MAX_JSON_DEPTH, jsonTextNestsDeeper, jsonValueNestsDeeper } from './jsonDepth';

export const MAX_JSON_BODY = '1mb';

/** 400 `JSON_TOO_DEEP` (the body nests deeper than {@link MAX_JSON_DEPTH}); the body is dropped. */
function tooDeep(req: Request): HttpError {
  req.body = undefined;
  return new HttpError('JSON_TOO_DEEP', msg('hostsim.error.json.depth', MAX_JSON_DEPTH));
}

/**
 * Refuses a JSON body nested deeper than {@link MAX_JSON_DEPTH} with 400 before any host or
 * plugin resource sees it, so no code that walks a body recursively can run out of stack. UTF-8
 * text (the default and nearly every client) is scanned as it arrives, before it is parsed; a
 * body in another charset, or one a plugin filter parsed first, is walked after parsing, without
 * recursion. Requests without a JSON body cost nothing.
 */
export function jsonBody(): RequestHandler {
  /** Outcome of the raw scan per request (set by `verify`, which runs only when there is a body). */
  const scanned = new WeakMap<Request, 'ok' | 'too-deep'>();
  const parse = express.json({
    limit: MAX_JSON_BODY,
    type: ['application/json', 'application/*+json'],
    verify: (req, _res, buf, encoding) => {
      if (encoding !== 'utf-8') return;
      const deep = jsonTextNestsDeeper(buf, MAX_JSON_DEPTH);
      scanned.set(req as Request, deep ? 'too-deep' : 'ok');
      // Thrown to stop before parsing; answered as JSON_TOO_DEEP below.
      if (deep) throw new Error('JSON body nested too deeply');
    },
  });
  return (req, res, next) => {
    if ((req as { _body?: boolean })._body) {
      next(jsonValueNestsDeeper(req.body, MAX_JSON_DEPTH) ? tooDeep(req) : undefined);
      return;
    }
    parse(req, res, (err?: unknown) => {
      const scan = scanned.get(req);
      if (scan === 'too-deep') {
        next(tooDeep(req));
        return;
      }
      if (!err && req.body !== undefined) {
        (req as { _body?: boolean })._body = true;
        if (scan === undefined && jsonValueNestsDeeper(req.body, MAX_JSON_DEPTH)) {
          next(tooDeep(req));
          return;
        }
      }
      next(err);
    });
  };
}

/** Form bodies for the login page. */
export function formBody(): RequestHandler {
  return express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 });
}
