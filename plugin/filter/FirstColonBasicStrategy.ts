import type { Request } from 'express';
import { BasicStrategy } from 'passport-http';

/** Verify callback of {@link FirstColonBasicStrategy}. */
export type BasicVerify = (req: Request, userId: string, password: string, done: (err: unknown, user?: unknown) => void) => void;

/**
 * passport-http's BasicStrategy splits `user:pass` at EVERY colon and keeps only the second
 * piece as the password. RFC 7617 allows colons in the password, so this subclass splits at
 * the first colon only; everything else (challenge, realm, outcomes) is passport-http's.
 */
export class FirstColonBasicStrategy extends BasicStrategy {
  constructor(realm: string, private readonly verifyFn: BasicVerify) {
    super({ realm, passReqToCallback: true }, verifyFn as never);
  }

  override authenticate(req: Request): void {
    const self = this as unknown as {
      fail(challenge: string | number, status?: number): void;
      error(err: unknown): void;
      success(user: unknown): void;
      _challenge(): string;
    };
    const header = req.headers.authorization;
    if (!header) return self.fail(self._challenge());
    const space = header.indexOf(' ');
    if (space < 0 || header.slice(0, space).toLowerCase() !== 'basic') return self.fail(self._challenge());
    const decoded = Buffer.from(header.slice(space + 1).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return self.fail(400);
    const userId = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    if (!userId || !password) return self.fail(self._challenge());
    this.verifyFn(req, userId, password, (err, user) => {
      if (err) return self.error(err);
      if (!user) return self.fail(self._challenge());
      self.success(user);
    });
  }
}

/** Splits a Basic `Authorization` header at the first colon; null when it is not Basic or malformed. */
export function decodeBasic(header: string): { userId: string; password: string } | null {
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space).toLowerCase() !== 'basic') return null;
  const decoded = Buffer.from(header.slice(space + 1).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
