// Confluence content and spaces: GET|POST /content, GET /content/{id}, GET /space.
import express, { type Router } from 'express';
import type { HostRuntime } from '../../impl/HostRuntime';
import { requireUser } from '../../auth/guards';
import { invalidFields, msg, notFound } from '../HttpError';
import { bodyObject, FieldReader, queryInteger, queryString } from '../validation';
import { contentJson, spaceJson } from './confluenceJson';

const MAX_BODY = 512 * 1024;
const SPACE_KEY = /^[A-Za-z0-9]{1,255}$/;

export function confluenceContentResource(runtime: HostRuntime): Router {
  const router = express.Router();
  const { content, config, users } = runtime;

  const pageLinks = (path: string): Record<string, string> => ({ base: config.baseUrl, context: config.contextPath, self: `${config.baseUrl}${path}` });

  router.get('/content', async (req, res) => {
    requireUser(req);
    const spaceKey = queryString(req, 'spaceKey');
    const type = queryString(req, 'type');
    if (type !== undefined && type !== 'page' && type !== 'blogpost') throw invalidFields({ type: msg('hostsim.validation.oneOf', 'type', 'page, blogpost') });
    const start = queryInteger(req, 'start', 0, Number.MAX_SAFE_INTEGER);
    const limit = queryInteger(req, 'limit', 25, 200);
    const page = await content.listContent({ spaceKey, type, offset: start, limit });
    const results = await Promise.all(page.results.map(async (c) => contentJson(config, c, await users.getUserByKey(c.authorKey), false)));
    res.json({ results, start, limit, size: results.length, _links: pageLinks('/rest/api/content') });
  });

  router.get('/content/:id', async (req, res) => {
    requireUser(req);
    const id = /^[1-9][0-9]{0,14}$/.test(req.params.id) ? Number(req.params.id) : NaN;
    const record = Number.isNaN(id) ? null : await content.getContent(id);
    if (!record) throw notFound('hostsim.content.notFound', req.params.id);
    res.json(contentJson(config, record, await users.getUserByKey(record.authorKey), true));
  });

  router.post('/content', async (req, res) => {
    const user = requireUser(req);
    const fields = new FieldReader(bodyObject(req));
    const type = fields.oneOf('type', ['page', 'blogpost'] as const, { required: true });
    const title = fields.string('title', { required: true });
    const space = fields.object('space', { required: true });
    const spaceKey = space?.string('key', { required: true, pattern: SPACE_KEY });
    const storage = fields.object('body')?.object('storage');
    const value = storage?.string('value', { max: MAX_BODY }) ?? '';
    storage?.oneOf('representation', ['storage'] as const);
    fields.done();
    const created = await content.createContent({ type: type as 'page' | 'blogpost', title: title as string, spaceKey: spaceKey as string, body: value, authorKey: user.key });
    res.json(contentJson(config, created, user, true));
  });

  router.get('/space', async (req, res) => {
    requireUser(req);
    const start = queryInteger(req, 'start', 0, Number.MAX_SAFE_INTEGER);
    const limit = queryInteger(req, 'limit', 25, 500);
    const page = await content.listSpaces(start, limit);
    res.json({ results: page.results.map((s) => spaceJson(config, s)), start, limit, size: page.results.length, _links: pageLinks('/rest/api/space') });
  });

  return router;
}
