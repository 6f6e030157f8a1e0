// Confluence users: /user, /user/current, /user/anonymous, /admin/user.
import { randomBytes } from 'node:crypto';
import express, { type Router } from 'express';
import type { HostRuntime } from '../../impl/HostRuntime';
import { requireAdmin, requireUser } from '../../auth/guards';
import { invalidFields, msg, notFound, badRequest } from '../HttpError';
import { readBody, readQuery } from '../dto/readDto';
import { ConfluenceUserQuery, NewConfluenceUserBody } from './confluenceDtos';
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
    const { username, key } = readQuery(req, ConfluenceUserQuery);
    if (!username && !key) throw badRequest('hostsim.validation.required', 'username');
    const user = username ? await users.getUserByName(username) : await users.getUserByKey(key as string);
    if (!user) throw notFound('hostsim.user.notFound', (username ?? key) as string);
    res.json(confluenceUser(config, user));
  });

  router.post('/admin/user', async (req, res) => {
    await requireAdmin(runtime, req);
    const { userName, fullName, email, password } = readBody(req, NewConfluenceUserBody);
    if (await users.getUserByName(userName)) throw invalidFields({ userName: msg('hostsim.user.exists', userName) });
    const created = await users.createUser({
      name: userName, displayName: fullName, email,
      password: password ?? randomBytes(18).toString('base64url'), groups: ['confluence-users'],
    });
    res.status(201).json(confluenceUser(config, created));
  });

  return router;
}
