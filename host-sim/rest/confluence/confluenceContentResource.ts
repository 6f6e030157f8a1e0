// Confluence content and spaces: GET|POST /content, GET /content/{id}, GET /space.
import express, { type Router } from 'express';
import type { HostRuntime } from '../../impl/HostRuntime';
import { requireUser } from '../../auth/guards';
import { notFound } from '../HttpError';
import { readBody, readQuery } from '../dto/readDto';
import { ContentListQuery, NewContentBody, SpaceListQuery } from './confluenceDtos';
import { contentJson, spaceJson } from './confluenceJson';

const MAX_CONTENT_LIMIT = 200;
const MAX_SPACE_LIMIT = 500;

export function confluenceContentResource(runtime: HostRuntime): Router {
  const router = express.Router();
  const { content, config, users } = runtime;

  const pageLinks = (path: string): Record<string, string> => ({ base: config.baseUrl, context: config.contextPath, self: `${config.baseUrl}${path}` });

  router.get('/content', async (req, res) => {
    requireUser(req);
    const query = readQuery(req, ContentListQuery);
    const { spaceKey, type } = query;
    const start = query.start ?? 0;
    const limit = Math.min(query.limit ?? 25, MAX_CONTENT_LIMIT);
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
    const { type, title, space, body } = readBody(req, NewContentBody);
    const created = await content.createContent({ type, title, spaceKey: space.key, body: body?.storage?.value ?? '', authorKey: user.key });
    res.json(contentJson(config, created, user, true));
  });

  router.get('/space', async (req, res) => {
    requireUser(req);
    const query = readQuery(req, SpaceListQuery);
    const start = query.start ?? 0;
    const limit = Math.min(query.limit ?? 25, MAX_SPACE_LIMIT);
    const page = await content.listSpaces(start, limit);
    res.json({ results: page.results.map((s) => spaceJson(config, s)), start, limit, size: page.results.length, _links: pageLinks('/rest/api/space') });
  });

  return router;
}
