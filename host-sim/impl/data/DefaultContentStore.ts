// Minimal Confluence spaces and pages/blog posts for the host REST API.
import type { Clock } from '../../spi/Clock';
import type { Database } from '../db/Database';
import type { SqlValue } from '../db/SqlRunner';
import { HostError } from '../HostError';
import type { ContentRecord, ContentStore, SpaceRecord } from '../HostRuntime';
import { page, start } from './DefaultIssueStore';

interface ContentRow {
  ID: number; CONTENT_TYPE: string; TITLE: string; SPACE_KEY: string; BODY: string | null;
  AUTHOR_KEY: string; CREATED: number; VERSION: number;
}
const CONTENT_COLUMNS = 'ID, CONTENT_TYPE, TITLE, SPACE_KEY, BODY, AUTHOR_KEY, CREATED, VERSION';

export class DefaultContentStore implements ContentStore {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  async createContent(input: { type: 'page' | 'blogpost'; title: string; spaceKey: string; body: string; authorKey: string }): Promise<ContentRecord> {
    if (input.type !== 'page' && input.type !== 'blogpost') throw new HostError('INVALID_INPUT', 'type must be page or blogpost');
    if (!input.title || input.title.length > 255) throw new HostError('INVALID_INPUT', 'title is required (at most 255 characters)');
    const spaces = await this.db.query('SELECT ID FROM HOST_SPACE WHERE SPACE_KEY = ?', [input.spaceKey]);
    if (!spaces.length) throw new HostError('SPACE_NOT_FOUND', `No space ${input.spaceKey}`);
    const res = await this.db.execute(
      'INSERT INTO HOST_CONTENT (CONTENT_TYPE, TITLE, SPACE_KEY, BODY, AUTHOR_KEY, CREATED, VERSION) VALUES (?, ?, ?, ?, ?, ?, 1)',
      [input.type, input.title, input.spaceKey, input.body ?? '', input.authorKey, this.clock.now()]);
    return (await this.getContent(res.insertId))!;
  }

  async listContent(options: { spaceKey?: string; type?: string; offset: number; limit: number }): Promise<{ results: ContentRecord[]; total: number }> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (options.spaceKey) { where.push('SPACE_KEY = ?'); params.push(options.spaceKey); }
    if (options.type) { where.push('CONTENT_TYPE = ?'); params.push(options.type); }
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const rows = await this.db.query<ContentRow>(
      `SELECT ${CONTENT_COLUMNS} FROM HOST_CONTENT${clause} ORDER BY ID LIMIT ${page(options.limit)} OFFSET ${start(options.offset)}`, params);
    const [count] = await this.db.query<{ TOTAL: number }>(`SELECT COUNT(*) AS TOTAL FROM HOST_CONTENT${clause}`, params);
    return { results: rows.map(toContent), total: Number(count?.TOTAL ?? 0) };
  }

  async getContent(id: number): Promise<ContentRecord | null> {
    if (!Number.isSafeInteger(id)) return null;
    const rows = await this.db.query<ContentRow>(`SELECT ${CONTENT_COLUMNS} FROM HOST_CONTENT WHERE ID = ?`, [id]);
    return rows.length ? toContent(rows[0]) : null;
  }

  async listSpaces(offset: number, limit: number): Promise<{ results: SpaceRecord[]; total: number }> {
    const rows = await this.db.query<{ ID: number; SPACE_KEY: string; SPACE_NAME: string }>(
      `SELECT ID, SPACE_KEY, SPACE_NAME FROM HOST_SPACE ORDER BY SPACE_KEY LIMIT ${page(limit)} OFFSET ${start(offset)}`);
    const [count] = await this.db.query<{ TOTAL: number }>('SELECT COUNT(*) AS TOTAL FROM HOST_SPACE');
    return { results: rows.map((r) => ({ id: Number(r.ID), key: r.SPACE_KEY, name: r.SPACE_NAME })), total: Number(count?.TOTAL ?? 0) };
  }
}

function toContent(r: ContentRow): ContentRecord {
  return {
    id: Number(r.ID), type: r.CONTENT_TYPE === 'blogpost' ? 'blogpost' : 'page', title: r.TITLE, spaceKey: r.SPACE_KEY,
    body: r.BODY ?? '', authorKey: r.AUTHOR_KEY, created: Number(r.CREATED), version: Number(r.VERSION),
  };
}
