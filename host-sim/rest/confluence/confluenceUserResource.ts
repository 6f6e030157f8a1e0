// Confluence users: /user, /user/current, /user/anonymous, /admin/user.
import { randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import type { HostRuntime } from '../../impl/HostRuntime';
import { requireAdmin, requireUser } from '../../auth/guards';
import { invalidFields, msg, notFound, badRequest } from '../HttpError';
import { bodyObject, FieldReader, MAX_TEXT, queryString } from '../validation';
import { EMAIL_PATTERN, USERNAME_PATTERN } from '../jira/jiraUserResource';
import { confluenceAnonymous, confluenceUser } from './confluenceJson';

export function confluenceUserResource(runtime: HostRuntime): Router {
  const router = express.Router();
  const { users, config } = runtime;

  router.get('/user/anonymous', (_req, res) => {
    res.json(confluenceAnonymous(config));
  });

  router.get('/user/current', (req, res) => {
    res.json(req.principal ? confluenceUser(config, req.principal.user) : confluenceAnonymous(config));
  });

  router.get('/user', async (req, res) => {
    requireUser(req);
    const username = queryString(req, 'username');
    const key = queryString(req, 'key');
    if (!username && !key) throw badRequest('hostsim.validation.required', 'username');
    const user = username ? await users.getUserByName(username) : await users.getUserByKey(key as string);
    if (!user) throw notFound('hostsim.user.notFound', (username ?? key) as string);
    res.json(confluenceUser(config, user));
  });

  router.post('/admin/user', async (req, res) => {
    await requireAdmin(runtime, req);
    const fields = new FieldReader(bodyObject(req));
    const name = fields.string('userName', { required: true, pattern: USERNAME_PATTERN, patternKey: 'hostsim.validation.username' });
    const fullName = fields.string('fullName', { required: true });
    const email = fields.string('email', { required: true, pattern: EMAIL_PATTERN, patternKey: 'hostsim.validation.email' });
    const password = fields.string('password', { max: MAX_TEXT });
    fields.boolean('notifyViaEmail');
    fields.done();
    if (await users.getUserByName(name as string)) throw invalidFields({ userName: msg('hostsim.user.exists', name as string) });
    const created = await users.createUser({
      name: name as string, displayName: fullName as string, email: email as string,
      password: password ?? randomBytes(18).toString('base64url'), groups: ['confluence-users'],
    });
    res.status(201).json(confluenceUser(config, created));
  });

  return router;
}
