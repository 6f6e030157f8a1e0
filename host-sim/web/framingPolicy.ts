// Click-jacking protection: no page of the host or of a plugin may be framed by another site.
// Every response carries `X-Frame-Options: SAMEORIGIN` and a CSP `frame-ancestors 'self'`, as
// Jira and Confluence send them; plugin servlets may add their own policy but cannot lift it.
// Every response also carries `X-Content-Type-Options: nosniff`, as Jira's do: an answer that
// repeats what a client sent (an error naming a field, a user name) is never read as a page.
import type { RequestHandler, Response } from 'express';

export const FRAME_OPTIONS = 'SAMEORIGIN';
export const FRAME_ANCESTORS = "frame-ancestors 'self'";

const FRAME_ANCESTORS_DIRECTIVE = /^frame-ancestors(\s|$)/i;
const NONE = /^frame-ancestors\s+'none'$/i;

/** One policy with its `frame-ancestors` directive set to 'self' (a stricter 'none' is kept). */
export function withFrameAncestors(policy: string): string {
  const directives = policy.split(';').map((d) => d.trim()).filter((d) => d !== '');
  const own = directives.find((d) => FRAME_ANCESTORS_DIRECTIVE.test(d));
  const others = directives.filter((d) => !FRAME_ANCESTORS_DIRECTIVE.test(d));
  return [...others, own && NONE.test(own) ? own : FRAME_ANCESTORS].join('; ');
}

/** Sets the framing headers and nosniff on every response, before anything else runs (errors and redirects too). */
export function protectiveHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Frame-Options', FRAME_OPTIONS);
    res.setHeader('Content-Security-Policy', FRAME_ANCESTORS);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  };
}

function enforce(res: Response): void {
  const frameOptions = res.getHeader('X-Frame-Options');
  if (typeof frameOptions !== 'string' || !/^(SAMEORIGIN|DENY)$/i.test(frameOptions)) res.setHeader('X-Frame-Options', FRAME_OPTIONS);
  const csp = res.getHeader('Content-Security-Policy');
  const policies = (Array.isArray(csp) ? csp : typeof csp === 'string' ? csp.split(',') : []).map((p) => p.trim()).filter((p) => p !== '');
  res.setHeader('Content-Security-Policy', policies.length > 0 ? policies.map(withFrameAncestors) : [FRAME_ANCESTORS]);
}

/**
 * For plugin servlets: whatever a servlet did to the two headers with `setHeader`, they are
 * restored (or its own CSP narrowed to `frame-ancestors 'self'`) when the head is written.
 */
export function enforceFramingOnWrite(): RequestHandler {
  return (_req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function writeHeadWithFraming(this: Response, ...args: unknown[]) {
      enforce(this);
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
    next();
  };
}
