import type { RequestHandler } from 'express';

/**
 * `X-Content-Type-Options: nosniff` on every answer of the plugin's REST APIs, as Jira sends it:
 * some messages repeat what the client sent (`userKeyByEmail` names the address it did not
 * find, as the original app did), and a browser must never read such JSON as a page.
 */
export const noSniff: RequestHandler = (_req, res, next) => {
  res.set('X-Content-Type-Options', 'nosniff');
  next();
};
