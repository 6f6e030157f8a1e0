// First step of every request: a request id (Jira's X-AREQUESTID) and the client IP.
import type { RequestHandler } from 'express';

/** `::ffff:127.0.0.1` → `127.0.0.1`. */
export function normaliseIp(ip: string | undefined): string {
  if (!ip) return '';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * The client IP: the socket peer, or — when the peer is a trusted proxy — the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy.
 */
export function clientIpOf(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: ReadonlySet<string>): string {
  let ip = normaliseIp(remoteAddress);
  if (!trustedProxies.has(ip) || forwardedFor === undefined) return ip;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((h) => normaliseIp(h.trim())).filter(Boolean);
  while (hops.length > 0 && trustedProxies.has(ip)) ip = hops.pop() as string;
  return ip;
}

export function requestContext(nodeId: string, trustedProxies: ReadonlySet<string>): RequestHandler {
  let counter = 0;
  const prefix = `${nodeId}-${Date.now().toString(36)}-`;
  return (req, res, next) => {
    const requestId = prefix + (counter++).toString(36);
    res.locals.requestId = requestId;
    res.setHeader('X-AREQUESTID', requestId);
    // Declared up front so every request object has the same shape: a filter that sets it
    // later then does not turn the property accesses of everything after it megamorphic.
    req.principal = undefined;
    req.clientIp = clientIpOf(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxies);
    next();
  };
}
