// REST resource `/rest/hello/1.0`: a greeting in the caller's language, sending and reading
// greetings. Uses the SPI's UserManager, I18nResolver, LicenseManager, MailService, AuditService
// and Clock; the request body is a DTO checked by class-validator.
import { plainToInstance } from 'class-transformer';
import { IsString, Length, validateSync } from 'class-validator';
import express, { type Request, type Response, type Router } from 'express';
import type { HostServices, HostUser } from '../../host-sim/spi';
import type { GreetingStore } from './GreetingStore';

/** The body of `POST /greetings`. */
class NewGreeting {
  @IsString() @Length(1, 255)
  to!: string;

  @IsString() @Length(1, 200)
  text!: string;
}

export function greetingResource(services: HostServices, store: GreetingStore): Router {
  const { userManager, i18nResolver: i18n, licenseManager, mailService, auditService, clock } = services;
  const router = express.Router();
  const localeOf = (req: Request): string => i18n.resolveLocale(req.headers['accept-language'], req.principal?.user.locale);

  /** The caller, or a 401 answered (the host's filters have authenticated the request already). */
  const caller = (req: Request, res: Response): HostUser | null => {
    if (req.principal) return req.principal.user;
    res.status(401).json({ errorMessage: i18n.getText(localeOf(req), 'hello.error.login') });
    return null;
  };

  router.get('/greeting', (req, res) => {
    const user = caller(req, res);
    if (!user) return;
    const locale = localeOf(req);
    res.json({ locale, message: i18n.getText(locale, 'hello.greeting', user.displayName) });
  });

  router.get('/greetings', async (req, res) => {
    const user = caller(req, res);
    if (!user) return;
    const greetings = await store.receivedBy(user.key);
    const senders = await Promise.all(greetings.map((g) => userManager.getUserByKey(g.fromKey)));
    res.json({ greetings: greetings.map((g, i) => ({ id: g.id, from: senders[i]?.name ?? null, text: g.text, created: g.created })) });
  });

  router.post('/greetings', async (req, res) => {
    const user = caller(req, res);
    if (!user) return;
    const locale = localeOf(req);
    if (!licenseManager.isLicensed()) {
      res.status(403).json({ errorMessage: i18n.getText(locale, 'hello.error.unlicensed') });
      return;
    }
    const invalid = (errors: Record<string, string>): void => {
      res.status(400).json({ errorMessage: i18n.getText(locale, 'hello.error.validation'), errors });
    };
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      res.status(400).json({ errorMessage: i18n.getText(locale, 'hello.validation.body') });
      return;
    }
    const dto = plainToInstance(NewGreeting, body);
    const problems = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (problems.length > 0) {
      invalid(Object.fromEntries(problems.map((p) => [p.property, p.constraints?.whitelistValidation
        ? i18n.getText(locale, 'hello.validation.unknown', p.property)
        : i18n.getText(locale, `hello.validation.${p.property}`)])));
      return;
    }
    const recipient = await userManager.getUserByName(dto.to);
    if (!recipient || !recipient.active) {
      invalid({ to: i18n.getText(locale, 'hello.validation.noSuchUser', dto.to) });
      return;
    }
    const greeting = await store.add({ fromKey: user.key, toKey: recipient.key, text: dto.text, created: clock.now() });
    const theirs = i18n.resolveLocale(undefined, recipient.locale);
    await mailService.send({
      to: recipient.email,
      subject: i18n.getText(theirs, 'hello.mail.subject', user.displayName),
      text: i18n.getText(theirs, 'hello.mail.body', user.displayName, dto.text),
    });
    await auditService.record({
      action: 'hello.greeting.sent', summary: 'Greeting sent', category: 'Hello',
      author: { key: user.key, name: user.name },
      affectedObjects: [{ type: 'User', id: recipient.key, name: recipient.name }],
      sourceIp: req.clientIp, method: req.principal?.method === 'api-token' ? 'API token' : 'REST API',
    });
    res.status(201).json({ id: greeting.id, to: recipient.name, text: greeting.text, created: greeting.created });
  });

  return router;
}
