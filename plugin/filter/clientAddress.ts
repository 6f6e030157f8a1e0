import type { Request } from 'express';

/**
 * The client's address as the host resolved it (`X-Forwarded-For` honoured from trusted proxies
 * only): the one reading that every allowlist, limit, audit event and mail of the plugin uses.
 * The socket's peer where a host sets none; never re-read from the forwarding headers here.
 */
export function clientAddressOf(req: Request): string {
  return req.clientIp ?? req.socket.remoteAddress ?? 'unknown';
}
