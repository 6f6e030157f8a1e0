// Jira instance metadata: /serverInfo (anonymous), /configuration, /issuetype.
import express, { type Router } from 'express';
import type { HostRuntime, IssueTypeRecord } from '../../impl/HostRuntime';
import { requireUser } from '../../auth/guards';
import { jiraDate } from './jiraJson';

export const JIRA_VERSION = '9.12.0';

/** Jira's issue type JSON. */
export function issueTypeJson(baseUrl: string, type: IssueTypeRecord): Record<string, unknown> {
  return {
    self: `${baseUrl}/rest/api/2/issuetype/${type.id}`, id: String(type.id), description: type.description,
    iconUrl: `${baseUrl}/secure/viewavatar?size=xsmall&avatarId=10318&avatarType=issuetype`,
    name: type.name, subtask: type.subtask, avatarId: 10318,
  };
}

export function jiraMetaResource(runtime: HostRuntime): Router {
  const router = express.Router();
  const { config, clock } = runtime;

  router.get('/serverInfo', (_req, res) => {
    res.json({
      baseUrl: config.baseUrl,
      version: JIRA_VERSION,
      versionNumbers: JIRA_VERSION.split('.').map(Number),
      deploymentType: 'Server',
      buildNumber: 912000,
      buildDate: '2023-11-21T00:00:00.000+0000',
      serverTime: jiraDate(clock.now()),
      scmInfo: 'hostsim',
      serverTitle: 'Jira',
    });
  });

  router.get('/configuration', (req, res) => {
    requireUser(req);
    res.json({
      votingEnabled: true, watchingEnabled: true, unassignedIssuesAllowed: false, subTasksEnabled: true,
      issueLinkingEnabled: true, timeTrackingEnabled: true, attachmentsEnabled: true,
      timeTrackingConfiguration: { workingHoursPerDay: 8, workingDaysPerWeek: 5, timeFormat: 'pretty', defaultUnit: 'minute' },
    });
  });

  router.get('/issuetype', async (req, res) => {
    requireUser(req);
    res.json((await runtime.issues.issueTypes()).map((t) => issueTypeJson(config.baseUrl, t)));
  });

  return router;
}
