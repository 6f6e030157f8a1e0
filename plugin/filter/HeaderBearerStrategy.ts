import type { Request } from 'express';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { readAuthorization, type AuthorizationHeader } from '../../host-sim/spi';

/** Verify callback of {@link HeaderBearerStrategy}. */
export type BearerVerify = (req: Request, token: string, done: (err: unknown, user?: unknown) => void) => void;

/** `access_token` as a query parameter of a raw URL. */
const ACCESS_TOKEN_PARAM = /[?&]access_token=/;

/**
 * passport-http-bearer's strategy, reading the token from the `Authorization` header only, as
 * the host reads the header (`readAuthorization` of the SPI: `Bearer`, spaces, a token68). The
 * library also looks for `access_token` in `req.body` and `req.query`; reading `req.query`
 * parses the query string on every request (~0.5 KB of garbage per request). The filter runs
 * before body parsing and only for `Bearer` headers, so the one case that remains — a header
 * token plus `access_token` in the URL, two methods in one request (RFC 6750 §2) — is refused
 * with 400 as the library does, by looking at the raw URL. Challenges and outcomes are the
 * library's.
 */
export class HeaderBearerStrategy extends BearerStrategy<BearerVerify> {
  constructor(realm: string, private readonly verifyFn: BearerVerify) {
    super({ realm, passReqToCallback: true }, verifyFn);
  }

  /** @param options.authorization the header as already read (StrategyRunner), else read here */
  override authenticate(req: Request, options?: { authorization?: AuthorizationHeader | null }): void {
    const self = this as unknown as {
      fail(challenge: string | number, status?: number): void;
      error(err: unknown): void;
      success(user: unknown, info?: unknown): void;
      _challenge(code?: string, desc?: string): string;
    };
    const authorization = options?.authorization !== undefined ? options.authorization : readAuthorization(req.headers.authorization);
    if (authorization === null || authorization.scheme === 'other') return self.fail(self._challenge());
    // Bearer, but not `Bearer <token68>`; or Basic, which this strategy cannot read.
    if (authorization.scheme !== 'bearer' || authorization.token === null) return self.fail(400);
    const token = authorization.token;
    if (ACCESS_TOKEN_PARAM.test(req.url)) return self.fail(400);
    this.verifyFn(req, token, (err, user) => {
      if (err) return self.error(err);
      if (!user) return self.fail(self._challenge('invalid_token'));
      self.success(user);
    });
  }
}
