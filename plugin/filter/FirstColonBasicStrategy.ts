import type { Request } from 'express';
import { BasicStrategy } from 'passport-http';
import { readAuthorization, type AuthorizationHeader } from '../../host-sim/spi';

/** Verify callback of {@link FirstColonBasicStrategy}. */
export type BasicVerify = (req: Request, userId: string, password: string, done: (err: unknown, user?: unknown) => void) => void;

/**
 * passport-http's BasicStrategy splits `user:pass` at EVERY colon and keeps only the second
 * piece as the password; RFC 7617 allows colons in the password. This subclass reads the
 * header the way the host's login does (`readAuthorization` of the SPI, split at the first
 * colon), so the filter and the login never disagree on what a Basic header holds; everything
 * else (challenge, realm, outcomes) is passport-http's.
 */
export class FirstColonBasicStrategy extends BasicStrategy {
  constructor(realm: string, private readonly verifyFn: BasicVerify) {
    super({ realm, passReqToCallback: true }, verifyFn as never);
  }

  /** @param options.authorization the header as already read (StrategyRunner), else read here */
  override authenticate(req: Request, options?: { authorization?: AuthorizationHeader | null }): void {
    const self = this as unknown as {
      fail(challenge: string | number, status?: number): void;
      error(err: unknown): void;
      success(user: unknown): void;
      _challenge(): string;
    };
    const authorization = options?.authorization !== undefined ? options.authorization : readAuthorization(req.headers.authorization);
    if (authorization?.scheme !== 'basic') return self.fail(self._challenge());
    const credentials = authorization.credentials;
    if (credentials === null) return self.fail(400);
    // passport-http fails an empty password; the login checks it (and counts it) like any other,
    // so it is a password here too, and the settings that govern passwords govern it.
    this.verifyFn(req, credentials.userName, credentials.password, (err, user) => {
      if (err) return self.error(err);
      if (!user) return self.fail(self._challenge());
      self.success(user);
    });
  }
}
