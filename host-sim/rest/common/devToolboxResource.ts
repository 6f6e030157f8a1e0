// The dev toolbox (DEV_MODE only, system admins): clock, licences, mail outbox, login
// counters and jobs, so that tests and demos can drive time-dependent behaviour.
import express, { type Router } from 'express';
import type { HostRuntime, StoredMail } from '../../impl/HostRuntime';
import type { PluginLoader } from '../../loader/PluginLoader';
import { requireSysAdmin, requireWebSudoWindow } from '../../auth/guards';
import { forbidden, notFound } from '../HttpError';
import { readBody } from '../dto/readDto';
import { ActiveBody, ClockBody, LicenseBody } from './commonDtos';

function mailJson(mail: StoredMail): Record<string, unknown> {
  return { id: mail.id, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null, createdAt: mail.createdAt, delivered: mail.delivered, error: mail.error };
}

export function devToolboxResource(runtime: HostRuntime, loader: PluginLoader): Router {
  const router = express.Router();
  router.use(async (req, _res, next) => {
    await requireSysAdmin(runtime, req);
    // Moving the clock alone would revive expired tokens and lengthen every token's life, the
    // calling one's too: a token reads the toolbox, a person with a password or a session changes it.
    const changes = req.method !== 'GET' && req.method !== 'HEAD';
    if (req.principal?.method === 'api-token' && changes) throw forbidden();
    // A session changes it inside its websudo window, as UPM and plugins' administration ask: moving
    // the clock revives expired tokens (or has the pruner delete them) on the whole cluster.
    if (changes) requireWebSudoWindow(runtime, req);
    next();
  });

  const clockJson = (): Record<string, unknown> => ({ offsetMillis: runtime.clock.getOffsetMillis(), now: runtime.clock.now() });

  // Database statements executed on this node so far; the benchmark reads it before and
  // after a load pass to count statements per request.
  router.get('/stats', (_req, res) => {
    res.json({ nodeId: runtime.config.nodeId, ...runtime.db.statementCounts() });
  });

  router.get('/clock', (_req, res) => {
    res.json(clockJson());
  });

  router.put('/clock', async (req, res) => {
    const { offsetMillis } = readBody(req, ClockBody);
    await runtime.clock.setOffsetMillis(offsetMillis);
    res.json(clockJson());
  });

  router.put('/license/:pluginKey', async (req, res) => {
    const { pluginKey } = req.params;
    if (!loader.descriptor(pluginKey)) throw notFound('hostsim.plugin.notFound', pluginKey);
    const { state } = readBody(req, LicenseBody);
    await runtime.licenses.setState(pluginKey, state);
    res.json({ pluginKey, state: runtime.licenses.getState(pluginKey) });
  });

  router.get('/mail', async (_req, res) => {
    res.json((await runtime.mail.list()).map(mailJson));
  });

  router.delete('/mail', async (_req, res) => {
    await runtime.mail.clear();
    res.status(204).end();
  });

  router.post('/users/:username/resetFailedLoginCount', async (req, res) => {
    const user = await runtime.users.getUserByName(req.params.username);
    if (!user) throw notFound('hostsim.user.notFound', req.params.username);
    await runtime.loginManager.resetFailedLoginCount(user.name);
    res.status(204).end();
  });

  // The simulator has no user-admin UI: this is how tests (and demos) deactivate a user on one node.
  router.put('/users/:username/active', async (req, res) => {
    const user = await runtime.users.getUserByName(req.params.username);
    if (!user) throw notFound('hostsim.user.notFound', req.params.username);
    const { active } = readBody(req, ActiveBody);
    await runtime.users.setActive(user.name, active);
    res.json({ name: user.name, key: user.key, active });
  });

  router.post('/jobs/:jobKey/run', async (req, res) => {
    const { jobKey } = req.params;
    const scheduled = runtime.scheduler.jobKeys();
    if (!scheduled.includes(jobKey)) throw notFound('hostsim.job.notFound', jobKey, scheduled.length > 0 ? scheduled.join(', ') : '–');
    const ran = await runtime.scheduler.runNow(jobKey);
    res.json({ jobKey, ran });
  });

  return router;
}
