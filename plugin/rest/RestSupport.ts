import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TokenScope } from '../ao/Token';
import { ApiError, type FieldError } from '../errors/ApiError';
import { clientAddressOf } from '../filter/clientAddress';
import { readDto, type DtoClass } from '../validation/checkDto';
import type { Actor } from '../service/Actor';
import { reservedKeyPaths } from './ReservedKeys';

/** Wraps an async handler so that a rejection reaches the error mapper. */
export function handler(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => { fn(req, res).catch(next); };
}

/**
 * The calling user and how they authenticated; 401 when anonymous. For a token, a missing or
 * malformed detail of the principal counts as its weakest value: restricted, read-only, expired.
 */
export function actorOf(req: Request): Actor {
  const principal = req.principal;
  if (!principal) throw new ApiError('NOT_AUTHENTICATED');
  let viaToken: Actor['viaToken'] = null;
  if (principal.method === 'api-token') {
    const details = principal.details ?? {};
    const scope = details.scope;
    const validUntil = details.validUntil;
    viaToken = {
      id: Number(principal.credentialId ?? details.tokenId ?? 0),
      publicId: typeof details.publicId === 'string' ? details.publicId : '',
      scope: (scope === 0 || scope === 1 || scope === 2 ? scope : 1) as TokenScope,
      restricted: details.restricted !== false,
      validUntil: typeof validUntil === 'number' && Number.isSafeInteger(validUntil) && validUntil > 0 ? validUntil : 0,
      sudo: details.sudo === true,
    };
  }
  return { user: principal.user, viaToken, ip: clientAddressOf(req) };
}

/**
 * Sends an answer that carries a plain token: no cache (browser, proxy) may keep a copy of the
 * secret that is shown once (as the CSV export and the pages).
 */
export function sendSecret(res: Response, body: unknown): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).json(body);
}

/** Parses a path id: a positive integer, else 400. */
export function idParam(value: unknown): number {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,14}$/.test(value)) {
    throw ApiError.validation({ id: { key: 'positiveInteger' } });
  }
  return Number(value);
}

/** How many reserved-key paths a 400 names at most. */
const MAX_RESERVED_PATHS = 10;

/**
 * The JSON body of a write request: an object, or 400/415. A body with `__proto__`,
 * `constructor` or `prototype` as a key at any depth is a 400 naming each such path.
 */
export function jsonObjectBody(req: Request): Record<string, unknown> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (req.body === undefined) {
    if (length > 0 || req.headers['transfer-encoding']) throw new ApiError('UNSUPPORTED_MEDIA_TYPE');
    return {};
  }
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw ApiError.validation({ body: { key: 'object' } });
  }
  const reserved = reservedKeyPaths(req.body, MAX_RESERVED_PATHS);
  if (reserved.length > 0) {
    const errors = Object.create(null) as Record<string, FieldError>;
    for (const path of reserved) errors[path] = { key: 'reservedKey' };
    throw ApiError.validation(errors);
  }
  return req.body as Record<string, unknown>;
}

/** The JSON body (see {@link jsonObjectBody}) as a checked DTO; unknown fields are 400 like wrong ones. */
export function readBody<T extends object>(req: Request, dto: DtoClass<T>): T {
  return readDto(dto, jsonObjectBody(req), { unknown: 'refuse' });
}

/** The query parameters as a checked DTO; parameters it does not name are ignored. */
export function readQuery<T extends object>(req: Request, dto: DtoClass<T>): T {
  return readDto(dto, req.query as Record<string, unknown>, { unknown: 'ignore' });
}
