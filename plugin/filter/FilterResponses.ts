import type { Request, Response } from 'express';
import type { HostUser, I18nResolver } from '../../host-sim/spi';
import { httpStatusOf, i18nKeyOf, type ErrorCode } from '../errors/ErrorCode';
import type { RefuseVerdict } from '../service/auth/AuthVerdict';

/** Writes the filter's error answers: one localised generic message, never the real reason. */
export class FilterResponses {
  constructor(private readonly i18n: I18nResolver, private readonly realm: string) {}

  send(req: Request, res: Response, code: ErrorCode, user?: HostUser | null, headers: Readonly<Record<string, string>> = {}, args: ReadonlyArray<string | number> = []): void {
    const locale = this.i18n.resolveLocale(headerValue(req.headers['accept-language']), user?.locale);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // As on the plugin's REST answers (noSniff.ts): the filter answers on every URL, whatever the host sets.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.status(httpStatusOf(code)).json({ errorMessage: this.i18n.getText(locale, i18nKeyOf(code), ...args) });
  }

  /** A refusal: its code's status and message, its headers, and a challenge for the scheme tried on a 401. */
  refuse(req: Request, res: Response, verdict: RefuseVerdict): void {
    if (verdict.challenge && httpStatusOf(verdict.code) === 401) {
      res.setHeader('WWW-Authenticate', verdict.challenge === 'bearer'
        ? `Bearer realm="${this.realm}", error="invalid_token"`
        : `Basic realm="${this.realm}"`);
    }
    this.send(req, res, verdict.code, verdict.user, verdict.headers);
  }
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
