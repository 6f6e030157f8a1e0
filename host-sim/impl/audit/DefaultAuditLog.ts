// The host's audit log (HOST_AUDIT_EVENT): many events in one multi-row INSERT, newest first.
import type { AuditEvent } from '../../spi/AuditService';
import type { Clock } from '../../spi/Clock';
import type { Database } from '../db/Database';
import type { SqlValue } from '../db/SqlRunner';
import type { AuditLog, StoredAuditEvent } from '../HostRuntime';

const COLUMNS = ['EVENT_TIME', 'ACTION', 'SUMMARY', 'CATEGORY', 'AUTHOR_KEY', 'AUTHOR_NAME', 'AFFECTED_OBJECTS',
  'CHANGED_VALUES', 'ATTRIBUTES', 'SOURCE_IP', 'METHOD', 'NODE_ID'];
const ROWS_PER_INSERT = 200;

interface AuditRow {
  ID: number; EVENT_TIME: number; ACTION: string; SUMMARY: string; CATEGORY: string; AUTHOR_KEY: string | null;
  AUTHOR_NAME: string | null; AFFECTED_OBJECTS: string | null; CHANGED_VALUES: string | null; ATTRIBUTES: string | null;
  SOURCE_IP: string | null; METHOD: string | null; NODE_ID: string;
}

export class DefaultAuditLog implements AuditLog {
  constructor(private readonly db: Database, private readonly clock: Clock, private readonly nodeId: string) {}

  async record(event: AuditEvent): Promise<void> {
    await this.recordAll([event]);
  }

  async recordAll(events: readonly AuditEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
      const chunk = events.slice(i, i + ROWS_PER_INSERT);
      const placeholders = chunk.map(() => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
      const params: SqlValue[] = chunk.flatMap((e) => this.values(e));
      await this.db.execute(`INSERT INTO HOST_AUDIT_EVENT (${COLUMNS.join(', ')}) VALUES ${placeholders}`, params);
    }
  }

  async query(options: { offset: number; limit: number; action?: string; from?: number; to?: number }): Promise<{ events: StoredAuditEvent[]; total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (options.action) { where.push('ACTION = ?'); params.push(options.action); }
    if (options.from !== undefined) { where.push('EVENT_TIME >= ?'); params.push(options.from); }
    if (options.to !== undefined) { where.push('EVENT_TIME <= ?'); params.push(options.to); }
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const limit = Number.isSafeInteger(options.limit) && options.limit > 0 ? Math.min(options.limit, 1000) : 50;
    const offset = Number.isSafeInteger(options.offset) && options.offset > 0 ? options.offset : 0;
    const rows = await this.db.query<AuditRow>(
      `SELECT ID, ${COLUMNS.join(', ')} FROM HOST_AUDIT_EVENT${clause} ORDER BY EVENT_TIME DESC, ID DESC LIMIT ${limit} OFFSET ${offset}`, params);
    const count = await this.db.query<{ TOTAL: number }>(`SELECT COUNT(*) AS TOTAL FROM HOST_AUDIT_EVENT${clause}`, params);
    return { events: rows.map(toEvent), total: Number(count[0]?.TOTAL ?? 0) };
  }

  private values(e: AuditEvent): SqlValue[] {
    return [
      e.timestamp ?? this.clock.now(), e.action, e.summary, e.category, e.author?.key ?? null, e.author?.name ?? null,
      json(e.affectedObjects), json(e.changedValues), json(e.attributes), e.sourceIp ?? null, e.method ?? null, this.nodeId,
    ];
  }
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function parse<T>(value: string | null): T | undefined {
  if (value === null || value === undefined) return undefined;
  try { return JSON.parse(value) as T; } catch { return undefined; }
}

function toEvent(row: AuditRow): StoredAuditEvent {
  return {
    id: Number(row.ID),
    timestamp: Number(row.EVENT_TIME),
    action: row.ACTION,
    summary: row.SUMMARY,
    category: row.CATEGORY,
    author: row.AUTHOR_KEY !== null ? { key: row.AUTHOR_KEY, name: row.AUTHOR_NAME ?? '' } : null,
    affectedObjects: parse(row.AFFECTED_OBJECTS),
    changedValues: parse(row.CHANGED_VALUES),
    attributes: parse(row.ATTRIBUTES),
    sourceIp: row.SOURCE_IP ?? undefined,
    method: row.METHOD ?? undefined,
    nodeId: row.NODE_ID,
  };
}
