// `/rest/auditing/1.0/events`: the audit log for admins, newest first, paged.
import express, { type Router } from 'express';
import type { HostRuntime, StoredAuditEvent } from '../../impl/HostRuntime';
import { requireAdmin } from '../../auth/guards';
import { readQuery } from '../dto/readDto';
import { instantOf } from '../dto/fields';
import { AuditQuery } from './commonDtos';

const MAX_LIMIT = 1000;

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
    const query = readQuery(req, AuditQuery);
    const offset = query.offset ?? 0;
    const limit = Math.max(1, Math.min(query.limit ?? 200, MAX_LIMIT));
    const { action } = query;
    const from = instantOf(query.from);
    const to = instantOf(query.to);
    const { events, total } = await runtime.audit.query({ offset, limit, action, from, to });
    res.json({
      entities: events.map(auditEventJson),
      pagingInfo: { offset, limit, size: events.length, total, nextPageOffset: offset + events.length < total ? offset + events.length : null },
    });
  });

  return router;
}
