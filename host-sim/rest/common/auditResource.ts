// `/rest/auditing/1.0/events`: the audit log for admins, newest first, paged.
import express, { type Router } from 'express';
import type { HostRuntime, StoredAuditEvent } from '../../impl/HostRuntime';
import { requireAdmin } from '../../auth/guards';
import { invalidFields, msg } from '../HttpError';
import { queryInteger, queryString } from '../validation';

const MAX_LIMIT = 1000;

function epochParam(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{1,16}$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw invalidFields({ [name]: msg('hostsim.validation.integer', name) });
  return parsed;
}

export function auditEventJson(event: StoredAuditEvent): Record<string, unknown> {
  return {
    id: event.id,
    timestamp: new Date(event.timestamp).toISOString(),
    timestampMillis: event.timestamp,
    action: event.action,
    summary: event.summary,
    author: event.author ? { id: event.author.key, name: event.author.name, type: 'user' } : { id: '-2', name: 'System', type: 'system' },
    type: { category: event.category, categoryI18nKey: event.category, action: event.summary, actionI18nKey: event.action, level: 'BASE', area: 'SECURITY' },
    affectedObjects: (event.affectedObjects ?? []).map((o) => ({ id: o.id, name: o.name, type: o.type })),
    changedValues: (event.changedValues ?? []).map((c) => ({ key: c.key, from: c.from, to: c.to })),
    source: event.sourceIp ?? '',
    method: event.method ?? '',
    node: event.nodeId,
    extraAttributes: Object.entries(event.attributes ?? {}).map(([name, value]) => ({ name, nameI18nKey: name, value })),
  };
}

export function auditResource(runtime: HostRuntime): Router {
  const router = express.Router();

  router.get('/events', async (req, res) => {
    await requireAdmin(runtime, req);
    const offset = queryInteger(req, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const limit = Math.max(1, queryInteger(req, 'limit', 200, MAX_LIMIT));
    const action = queryString(req, 'action');
    const from = epochParam(queryString(req, 'from', { max: 40 }), 'from');
    const to = epochParam(queryString(req, 'to', { max: 40 }), 'to');
    const { events, total } = await runtime.audit.query({ offset, limit, action, from, to });
    res.json({
      entities: events.map(auditEventJson),
      pagingInfo: { offset, limit, size: events.length, total, nextPageOffset: offset + events.length < total ? offset + events.length : null },
    });
  });

  return router;
}
