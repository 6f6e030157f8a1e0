import type { Request, Response } from 'express';
import type { HostUser, I18nResolver } from '../../host-sim/spi';
import { httpStatusOf, i18nKeyOf, type ErrorCode } from '../errors/ErrorCode';

/** Writes the filter's error answers: one localised generic message, never the real reason. */
export class FilterResponses {
  constructor(private readonly i18n: I18nResolver, private readonly realm: string) {}

  send(req: Request, res: Response, code: ErrorCode, user?: HostUser | null, headers: Readonly<Record<string, string>> = {}, args: ReadonlyArray<string | number> = []): void {
    const locale = this.i18n.resolveLocale(headerValue(req.headers['accept-language']), user?.locale);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(httpStatusOf(code)).json({ errorMessage: this.i18n.getText(locale, i18nKeyOf(code), ...args) });
  }

  /** 401 with a challenge for the scheme that was tried. */
  unauthorized(req: Request, res: Response, scheme: 'basic' | 'bearer', user?: HostUser | null): void {
    const challenge = scheme === 'bearer'
      ? `Bearer realm="${this.realm}", error="invalid_token"`
      : `Basic realm="${this.realm}"`;
    this.send(req, res, 'TOKEN_AUTH_FAILED', user, { 'WWW-Authenticate': challenge });
  }
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
