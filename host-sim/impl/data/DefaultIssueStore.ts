// Minimal Jira issues, comments and filters for the host REST API. Issue numbers come from an
// atomic counter on the project row, so two nodes never create the same key.
import type { Clock } from '../../spi/Clock';
import type { Database } from '../db/Database';
import { HostError } from '../HostError';
import type { CommentRecord, FilterRecord, IssueRecord, IssueStore, IssueTypeRecord, ProjectRecord } from '../HostRuntime';

interface IssueRow {
  ID: number; ISSUE_KEY: string; PROJECT_KEY: string; SUMMARY: string; DESCRIPTION: string | null;
  ISSUE_TYPE: string; REPORTER_KEY: string; CREATED: number; UPDATED: number;
}
const ISSUE_COLUMNS = 'ID, ISSUE_KEY, PROJECT_KEY, SUMMARY, DESCRIPTION, ISSUE_TYPE, REPORTER_KEY, CREATED, UPDATED';

export class DefaultIssueStore implements IssueStore {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  async createIssue(input: { projectKey: string; summary: string; description: string; issueType: string; reporterKey: string }): Promise<IssueRecord> {
    if (!input.summary || input.summary.length > 255) throw new HostError('INVALID_INPUT', 'summary is required (at most 255 characters)');
    const type = (await this.issueTypes()).find((t) => t.name.toLowerCase() === String(input.issueType).toLowerCase() || String(t.id) === String(input.issueType));
    if (!type) throw new HostError('ISSUE_TYPE_NOT_FOUND', `No issue type ${input.issueType}`);
    const projectKey = String(input.projectKey).toUpperCase();
    const now = this.clock.now();
    const id = await this.db.transaction(async (tx) => {
      const bumped = await tx.execute('UPDATE HOST_PROJECT SET ISSUE_COUNTER = ISSUE_COUNTER + 1 WHERE PROJECT_KEY = ?', [projectKey]);
      if (bumped.affected !== 1) throw new HostError('PROJECT_NOT_FOUND', `No project ${projectKey}`);
      const [row] = await tx.query<{ ISSUE_COUNTER: number }>('SELECT ISSUE_COUNTER FROM HOST_PROJECT WHERE PROJECT_KEY = ?', [projectKey]);
      const num = Number(row.ISSUE_COUNTER);
      const res = await tx.execute(
        'INSERT INTO HOST_ISSUE (ISSUE_KEY, PROJECT_KEY, ISSUE_NUM, SUMMARY, DESCRIPTION, ISSUE_TYPE, REPORTER_KEY, CREATED, UPDATED) '
        + 'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [`${projectKey}-${num}`, projectKey, num, input.summary, input.description ?? '', type.name, input.reporterKey, now, now]);
      return res.insertId;
    });
    return (await this.getIssue(String(id)))!;
  }

  async getIssue(keyOrId: string): Promise<IssueRecord | null> {
    const byId = /^\d+$/.test(keyOrId);
    const rows = await this.db.query<IssueRow>(
      `SELECT ${ISSUE_COLUMNS} FROM HOST_ISSUE WHERE ${byId ? 'ID' : 'ISSUE_KEY'} = ?`, [byId ? Number(keyOrId) : keyOrId.toUpperCase()]);
    return rows.length ? toIssue(rows[0]) : null;
  }

  async updateIssue(keyOrId: string, changes: { summary?: string; description?: string }): Promise<IssueRecord | null> {
    const issue = await this.getIssue(keyOrId);
    if (!issue) return null;
    if (changes.summary !== undefined && (!changes.summary || changes.summary.length > 255)) {
      throw new HostError('INVALID_INPUT', 'summary must be 1 to 255 characters');
    }
    await this.db.execute('UPDATE HOST_ISSUE SET SUMMARY = ?, DESCRIPTION = ?, UPDATED = ? WHERE ID = ?',
      [changes.summary ?? issue.summary, changes.description ?? issue.description, this.clock.now(), issue.id]);
    return this.getIssue(String(issue.id));
  }

  async searchByProject(projectKey: string, offset: number, limit: number): Promise<{ issues: IssueRecord[]; total: number }> {
    const key = projectKey.toUpperCase();
    const rows = await this.db.query<IssueRow>(
      `SELECT ${ISSUE_COLUMNS} FROM HOST_ISSUE WHERE PROJECT_KEY = ? ORDER BY ISSUE_NUM DESC LIMIT ${page(limit)} OFFSET ${start(offset)}`, [key]);
    const [count] = await this.db.query<{ TOTAL: number }>('SELECT COUNT(*) AS TOTAL FROM HOST_ISSUE WHERE PROJECT_KEY = ?', [key]);
    return { issues: rows.map(toIssue), total: Number(count?.TOTAL ?? 0) };
  }

  async addComment(issueId: number, body: string, authorKey: string): Promise<CommentRecord> {
    if (!(await this.getIssue(String(issueId)))) throw new HostError('ISSUE_NOT_FOUND', `No issue ${issueId}`);
    const created = this.clock.now();
    const res = await this.db.execute('INSERT INTO HOST_COMMENT (ISSUE_ID, BODY, AUTHOR_KEY, CREATED) VALUES (?, ?, ?, ?)', [issueId, body, authorKey, created]);
    return { id: res.insertId, issueId, body, authorKey, created };
  }

  async listComments(issueId: number): Promise<CommentRecord[]> {
    const rows = await this.db.query<{ ID: number; ISSUE_ID: number; BODY: string; AUTHOR_KEY: string; CREATED: number }>(
      'SELECT ID, ISSUE_ID, BODY, AUTHOR_KEY, CREATED FROM HOST_COMMENT WHERE ISSUE_ID = ? ORDER BY ID', [issueId]);
    return rows.map((r) => ({ id: Number(r.ID), issueId: Number(r.ISSUE_ID), body: r.BODY, authorKey: r.AUTHOR_KEY, created: Number(r.CREATED) }));
  }

  async createFilter(input: { name: string; jql: string; ownerKey: string; description: string }): Promise<FilterRecord> {
    if (!input.name || input.name.length > 255) throw new HostError('INVALID_INPUT', 'name is required (at most 255 characters)');
    const res = await this.db.execute('INSERT INTO HOST_FILTER (FILTER_NAME, JQL, OWNER_KEY, DESCRIPTION) VALUES (?, ?, ?, ?)',
      [input.name, input.jql ?? '', input.ownerKey, input.description ?? '']);
    return { id: res.insertId, name: input.name, jql: input.jql ?? '', ownerKey: input.ownerKey, description: input.description ?? '' };
  }

  async issueTypes(): Promise<IssueTypeRecord[]> {
    const rows = await this.db.query<{ ID: number; TYPE_NAME: string; DESCRIPTION: string; SUBTASK: number }>(
      'SELECT ID, TYPE_NAME, DESCRIPTION, SUBTASK FROM HOST_ISSUE_TYPE ORDER BY ID');
    return rows.map((r) => ({ id: Number(r.ID), name: r.TYPE_NAME, description: r.DESCRIPTION, subtask: Number(r.SUBTASK) === 1 }));
  }

  async projects(): Promise<ProjectRecord[]> {
    const rows = await this.db.query<{ ID: number; PROJECT_KEY: string; PROJECT_NAME: string }>(
      'SELECT ID, PROJECT_KEY, PROJECT_NAME FROM HOST_PROJECT ORDER BY PROJECT_KEY');
    return rows.map((r) => ({ id: Number(r.ID), key: r.PROJECT_KEY, name: r.PROJECT_NAME }));
  }
}

function toIssue(r: IssueRow): IssueRecord {
  return {
    id: Number(r.ID), key: r.ISSUE_KEY, projectKey: r.PROJECT_KEY, summary: r.SUMMARY, description: r.DESCRIPTION ?? '',
    issueType: r.ISSUE_TYPE, reporterKey: r.REPORTER_KEY, created: Number(r.CREATED), updated: Number(r.UPDATED),
  };
}

export function page(limit: number): number {
  return Number.isSafeInteger(limit) && limit > 0 ? Math.min(limit, 1000) : 50;
}

export function start(offset: number): number {
  return Number.isSafeInteger(offset) && offset > 0 ? offset : 0;
}
