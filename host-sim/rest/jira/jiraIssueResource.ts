// Jira issues: create, read, edit, comment.
import express, { type Router } from 'express';
import type { CommentRecord, HostRuntime, IssueRecord } from '../../impl/HostRuntime';
import type { HostUser } from '../../spi';
import { isHostError } from '../../impl/HostError';
import { requireUser } from '../../auth/guards';
import { invalidFields, msg, notFound } from '../HttpError';
import { readBody } from '../dto/readDto';
import { CommentBody, IssueEditBody, NewIssueBody } from './jiraDtos';
import { jiraDate, jiraUserRef } from './jiraJson';
import { issueTypeJson } from './jiraMetaResource';

/** Jira reports issue fields without the `fields.` prefix. */
const ISSUE_FIELDS = { unprefixed: ['fields'] };
const ISSUE_KEY = /^([A-Z][A-Z0-9_]{0,9}-[1-9][0-9]{0,9}|[1-9][0-9]{0,14})$/;

type UserLookup = (key: string) => Promise<HostUser | null>;

export async function issueJson(runtime: HostRuntime, issue: IssueRecord, comments: readonly CommentRecord[] | null): Promise<Record<string, unknown>> {
  const { baseUrl } = runtime.config;
  const lookup: UserLookup = (key) => runtime.users.getUserByKey(key);
  const reporter = await lookup(issue.reporterKey);
  const types = await runtime.issues.issueTypes();
  const type = types.find((t) => t.name === issue.issueType) ?? { id: 0, name: issue.issueType, description: '', subtask: false };
  const fields: Record<string, unknown> = {
    summary: issue.summary,
    description: issue.description === '' ? null : issue.description,
    issuetype: issueTypeJson(baseUrl, type),
    project: { self: `${baseUrl}/rest/api/2/project/${issue.projectKey}`, key: issue.projectKey, name: issue.projectKey },
    reporter: reporter ? jiraUserRef(baseUrl, reporter) : null,
    creator: reporter ? jiraUserRef(baseUrl, reporter) : null,
    created: jiraDate(issue.created),
    updated: jiraDate(issue.updated),
    status: { name: 'Open', id: '1' },
  };
  if (comments) {
    fields.comment = { comments: await Promise.all(comments.map((c) => commentJson(runtime, issue, c))), maxResults: comments.length, total: comments.length, startAt: 0 };
  }
  return { expand: 'renderedFields,names,schema,transitions,editmeta,changelog', id: String(issue.id), self: `${baseUrl}/rest/api/2/issue/${issue.id}`, key: issue.key, fields };
}

async function commentJson(runtime: HostRuntime, issue: IssueRecord, comment: CommentRecord): Promise<Record<string, unknown>> {
  const { baseUrl } = runtime.config;
  const author = await runtime.users.getUserByKey(comment.authorKey);
  const ref = author ? jiraUserRef(baseUrl, author) : null;
  return {
    self: `${baseUrl}/rest/api/2/issue/${issue.id}/comment/${comment.id}`, id: String(comment.id),
    author: ref, body: comment.body, updateAuthor: ref, created: jiraDate(comment.created), updated: jiraDate(comment.created),
  };
}

function validIssueKey(key: string): string {
  if (!ISSUE_KEY.test(key)) throw notFound('hostsim.issue.notFound');
  return key;
}

export function jiraIssueResource(runtime: HostRuntime): Router {
  const router = express.Router();
  const { issues, config } = runtime;

  router.post('/issue', async (req, res) => {
    const user = requireUser(req);
    const { fields } = readBody(req, NewIssueBody, ISSUE_FIELDS);
    const issueType = fields.issuetype.name ?? fields.issuetype.id;
    if (!issueType) throw invalidFields({ issuetype: msg('hostsim.issue.issuetype') });
    const issue = await issues.createIssue({
      projectKey: fields.project.key, summary: fields.summary.trim(), description: fields.description ?? '', issueType, reporterKey: user.key,
    }).catch((err: unknown) => {
      // Jira reports an unknown project or type on the field, not as a general message.
      if (isHostError(err) && err.code === 'PROJECT_NOT_FOUND') throw invalidFields({ project: msg('hostsim.issue.project') });
      if (isHostError(err) && err.code === 'ISSUE_TYPE_NOT_FOUND') throw invalidFields({ issuetype: msg('hostsim.issue.issuetype') });
      throw err;
    });
    res.status(201).json({ id: String(issue.id), key: issue.key, self: `${config.baseUrl}/rest/api/2/issue/${issue.id}` });
  });

  router.get('/issue/:key', async (req, res) => {
    requireUser(req);
    const issue = await issues.getIssue(validIssueKey(req.params.key));
    if (!issue) throw notFound('hostsim.issue.notFound');
    res.json(await issueJson(runtime, issue, await issues.listComments(issue.id)));
  });

  router.put('/issue/:key', async (req, res) => {
    requireUser(req);
    const key = validIssueKey(req.params.key);
    const { fields } = readBody(req, IssueEditBody, ISSUE_FIELDS);
    if (!(await issues.getIssue(key))) throw notFound('hostsim.issue.notFound');
    await issues.updateIssue(key, { summary: fields.summary, description: fields.description });
    res.status(204).end();
  });

  router.post('/issue/:key/comment', async (req, res) => {
    const user = requireUser(req);
    const key = validIssueKey(req.params.key);
    const { body } = readBody(req, CommentBody);
    const issue = await issues.getIssue(key);
    if (!issue) throw notFound('hostsim.issue.notFound');
    const comment = await issues.addComment(issue.id, body, user.key);
    res.status(201).json(await commentJson(runtime, issue, comment));
  });

  return router;
}
