// Jira users: /myself, /user (GET, POST, DELETE), /group/user.
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { HostRuntime, StoredUser } from '../../impl/HostRuntime';
import { requireAdmin, requireSysAdmin, requireUser } from '../../auth/guards';
import { HttpError, badRequest, invalidFields, msg, notFound } from '../HttpError';
import { readBody, readQuery } from '../dto/readDto';
import { GroupMemberBody, GroupQuery, NewUserBody, UserNameQuery, UserQuery } from './jiraDtos';
import { jiraUser, wantsExpand } from './jiraJson';

export { EMAIL_PATTERN, USERNAME_PATTERN } from './jiraDtos';

export function jiraUserResource(runtime: HostRuntime): Router {
  const router = express.Router();
  const { users, config } = runtime;
  const usersGroup = 'jira-software-users';

  const render = (req: Request, user: StoredUser): Record<string, unknown> => {
    const roles = user.groups.includes(usersGroup) ? 1 : 0;
    return jiraUser(config.baseUrl, user, { expandGroups: wantsExpand(req.query.expand, 'groups'), applicationRoles: roles });
  };

  const stored = async (name: string): Promise<StoredUser> => {
    const user = await users.getStoredUser(name);
    if (!user) throw notFound('hostsim.user.notFound', name);
    return user;
  };

  // The rendered body per stored user and variant: the user directory hands out one frozen
  // object per cached user, and a change to the user (or its groups) yields a new one.
  const myselfBodies = new WeakMap<StoredUser, Map<boolean, string>>();
  const sendMyself = (req: Request, res: Response, user: StoredUser): void => {
    // Express 5 parses the query string on every `req.query` access: only when there is one.
    const expandGroups = req.url.includes('?') && wantsExpand(req.query.expand, 'groups');
    let bodies = myselfBodies.get(user);
    if (!bodies) myselfBodies.set(user, bodies = new Map());
    let body = bodies.get(expandGroups);
    if (body === undefined) bodies.set(expandGroups, body = JSON.stringify(render(req, user)));
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.send(body);
  };
  // A cached user is answered in the same turn (as Jira answers from its user cache); only a
  // user the directory has to read waits for the database.
  router.get('/myself', (req, res, next) => {
    const name = requireUser(req).name;
    const cached = users.peekStoredUser(name);
    if (cached) {
      sendMyself(req, res, cached);
      return;
    }
    stored(name).then((user) => sendMyself(req, res, user)).catch(next);
  });

  router.get('/user', async (req, res) => {
    requireUser(req);
    const { username, key } = readQuery(req, UserQuery);
    if (!username && !key) throw badRequest('hostsim.validation.required', 'username');
    let name = username;
    if (!name) {
      const byKey = await users.getUserByKey(key as string);
      if (!byKey) throw notFound('hostsim.user.notFound', key as string);
      name = byKey.name;
    }
    res.json(render(req, await stored(name)));
  });

  router.post('/user', async (req, res) => {
    await requireAdmin(runtime, req);
    const { name, password, emailAddress, displayName } = readBody(req, NewUserBody);
    if (await users.getUserByName(name)) throw invalidFields({ username: msg('hostsim.user.exists', name) });
    const created = await users.createUser({
      name,
      password: password ?? randomBytes(18).toString('base64url'),
      email: emailAddress,
      displayName,
      groups: [usersGroup],
    });
    res.status(201).location(`${config.baseUrl}/rest/api/2/user?username=${encodeURIComponent(created.name)}`).json(render(req, created));
  });

  router.delete('/user', async (req, res) => {
    const actor = await requireSysAdmin(runtime, req);
    const { username } = readQuery(req, UserNameQuery);
    const user = await users.getUserByName(username);
    if (!user) throw notFound('hostsim.user.notFound', username);
    if (user.key === actor.key) throw badRequest('hostsim.user.deleteSelf');
    await users.deleteUser(user.name);
    res.status(204).end();
  });

  router.post('/group/user', async (req, res) => {
    await requireAdmin(runtime, req);
    const { groupname } = readQuery(req, GroupQuery);
    // As in Jira: only a system admin makes someone a system admin (an admin manages the other groups).
    if (users.isSystemAdminGroup(groupname)) await requireSysAdmin(runtime, req);
    const { name } = readBody(req, GroupMemberBody);
    if (!(await users.listGroups()).includes(groupname)) throw notFound('hostsim.group.notFound', groupname);
    const user = await users.getUserByName(name);
    if (!user) throw notFound('hostsim.user.notFound', name);
    if (await users.isUserInGroup(user.key, groupname)) {
      throw new HttpError('BAD_REQUEST', msg('hostsim.group.alreadyMember', user.name, groupname));
    }
    await users.addUserToGroup(user.name, groupname);
    res.status(201).json({
      name: groupname,
      self: `${config.baseUrl}/rest/api/2/group?groupname=${encodeURIComponent(groupname)}`,
      users: { size: 0, items: [], 'max-results': 50, 'start-index': 0, 'end-index': 0 },
      expand: 'users',
    });
  });

  return router;
}
