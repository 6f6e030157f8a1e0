// JSON body parsing for REST: 1 MB limit; skipped when a plugin filter already read the body.
import express, { type RequestHandler } from 'express';

export const MAX_JSON_BODY = '1mb';

export function jsonBody(): RequestHandler {
  const parse = express.json({ limit: MAX_JSON_BODY, type: ['application/json', 'application/*+json'] });
  return (req, res, next) => {
    if ((req as { _body?: boolean })._body) {
      next();
      return;
    }
    parse(req, res, (err?: unknown) => {
      if (!err && req.body !== undefined) (req as { _body?: boolean })._body = true;
      next(err);
    });
  };
}

/** Form bodies for the login page. */
export function formBody(): RequestHandler {
  return express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 });
}
