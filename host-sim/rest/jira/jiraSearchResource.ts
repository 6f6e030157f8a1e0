// Jira search (only `project = KEY` JQL) and filters.
import express, { type Request, type Router } from 'express';
import type { HostRuntime } from '../../impl/HostRuntime';
import { requireUser } from '../../auth/guards';
import { HttpError, msg } from '../HttpError';
import { readBody, readQuery } from '../dto/readDto';
import { NewFilterBody, SearchBody, SearchQuery } from './jiraDtos';
import { jiraUserRef } from './jiraJson';
import { issueJson } from './jiraIssueResource';

const MAX_RESULTS = 1000;

/** `project = X`, `project=X`, `project = "X"` (optionally followed by ORDER BY) → X; else null. */
export function projectOfJql(jql: string): string | null {
  const match = /^\s*project\s*=\s*("?)([A-Za-z][A-Za-z0-9_]{0,9})\1\s*(order\s+by\s+[\w\s,]+)?$/i.exec(jql);
  return match ? match[2].toUpperCase() : null;
}

export function jiraSearchResource(runtime: HostRuntime): Router {
  const router = express.Router();
  const { issues, config } = runtime;

  const search = async (jql: string, startAt: number, maxResults: number): Promise<Record<string, unknown>> => {
    const project = projectOfJql(jql);
    if (!project) throw new HttpError('INVALID_JQL');
    const page = await issues.searchByProject(project, startAt, maxResults);
    return {
      expand: 'schema,names', startAt, maxResults, total: page.total,
      issues: await Promise.all(page.issues.map((issue) => issueJson(runtime, issue, null))),
    };
  };

  router.get('/search', async (req: Request, res) => {
    requireUser(req);
    const { jql, startAt, maxResults } = readQuery(req, SearchQuery);
    res.json(await search(jql, startAt ?? 0, Math.min(maxResults ?? 50, MAX_RESULTS)));
  });

  router.post('/search', async (req, res) => {
    requireUser(req);
    const { jql, startAt, maxResults } = readBody(req, SearchBody);
    res.json(await search(jql, startAt ?? 0, Math.min(maxResults ?? 50, MAX_RESULTS)));
  });

  router.post('/filter', async (req, res) => {
    const user = requireUser(req);
    const body = readBody(req, NewFilterBody);
    const jql = body.jql ?? '';
    const favourite = body.favourite ?? false;
    if (jql !== '' && !projectOfJql(jql)) throw new HttpError('INVALID_JQL', undefined, { jql: msg('hostsim.error.jql') });
    const filter = await issues.createFilter({ name: body.name, jql, ownerKey: user.key, description: body.description ?? '' });
    res.json({
      self: `${config.baseUrl}/rest/api/2/filter/${filter.id}`, id: String(filter.id), name: filter.name,
      description: filter.description, owner: jiraUserRef(config.baseUrl, user), jql: filter.jql,
      viewUrl: `${config.baseUrl}/issues/?filter=${filter.id}`,
      searchUrl: `${config.baseUrl}/rest/api/2/search?jql=${encodeURIComponent(filter.jql)}`,
      favourite, sharePermissions: [], editable: true,
    });
  });

  return router;
}
