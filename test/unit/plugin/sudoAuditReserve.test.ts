// Attack review G (2026-12-03): a sudo request was let through while fewer than half the audit
// queue's reserve waited to be written, and "the other half" was to take the events of requests
// admitted and still running — but those were not counted. Whoever holds a sudo token could start
// more run-as requests at once than that half (answers that take long, or are read slowly): all were
// admitted, and when they ended while a write was out, the events beyond the reserve were dropped.
// Those run-as requests had run and left no trace in the audit log. Each admitted sudo request now
// takes its place in the reserve when it is let through, and keeps it until its event is written.
import { expect } from 'chai';
import type { AuditEvent, HostUser, UserManager } from '../../../host-sim/spi';
import { TokenCredential } from '../../../plugin/ao/Token';
import { AuditQueue } from '../../../plugin/service/AuditQueue';
import type { SecretHolderCheck } from '../../../plugin/service/auth/SecretHolderCheck';
import { SudoResolver } from '../../../plugin/service/auth/SudoResolver';
import { TokenAdmission } from '../../../plugin/service/auth/TokenAdmission';
import type { TokenRequestView } from '../../../plugin/service/auth/TokenRequestView';
import type { PermissionService } from '../../../plugin/service/PermissionService';
import type { RestrictionEvaluator } from '../../../plugin/restrictions/RestrictionSupport';
import { DEFAULT_SETTINGS } from '../../../plugin/service/Settings';
import { createCapturingLogger, FakeAuditService } from '../../support/spi-fakes';

function user(key: string, name: string): HostUser {
  return { key, name, displayName: name, email: `${name}@example.com`, active: true, locale: 'en_US', timeZone: 'UTC' };
}

const ROOT = user('root', 'root');
const ALICE = user('JIRAUSER10100', 'alice');
const users = {
  getUserByName: async (name: string) => [ROOT, ALICE].find((u) => u.name === name) ?? null,
  getUserByKey: async (key: string) => [ROOT, ALICE].find((u) => u.key === key) ?? null,
  isSystemAdmin: async (key: string) => key === ROOT.key,
} as unknown as UserManager;
const permissions = { mayUseTokens: async () => true, isReadOnlyOnly: async () => false } as unknown as PermissionService;
const unrestricted = { peek: () => null } as unknown as RestrictionEvaluator;
const ownersOnly = { applies: () => false } as unknown as SecretHolderCheck;
const SUDO = new TokenCredential(1, 'pub', ROOT.key, 'sudo', Number.MAX_SAFE_INTEGER, 2, null, 1, '00', '00', true);
const SETTINGS = { ...DEFAULT_SETTINGS, sudoTokensAllowed: true };
const runAsAlice = {
  method: 'GET', ip: '10.0.0.1', headers: { 'x-atlassian-run-as': 'alice' }, query: () => ({}),
} as unknown as TokenRequestView;

const event = (n: number): AuditEvent => ({ action: 'token.used', summary: `run as ${n}`, category: 'API tokens', author: null });

describe('Sudo requests and the audit queue\'s reserve', () => {
  it('should let through no more sudo requests at once than the reserve holds, and write the event of each', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const audit = new (class extends FakeAuditService {
      override async recordAll(events: readonly AuditEvent[]) {
        await held; // the audit log is slow: the first write is out while every request ends
        return super.recordAll(events);
      }
    })();
    const queue = new AuditQueue(audit, createCapturingLogger().logger, { capacity: 100, batchSize: 2, flushIntervalMs: 60_000, reserve: 4 });
    const admission = new TokenAdmission(permissions, unrestricted, new SudoResolver(users, queue), ownersOnly, 'de.resolution.apitokenauth');

    // Ten run-as requests start together (long answers): none has ended yet.
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => admission.admit(runAsAlice, '/rest/api/2/myself', SETTINGS, SUDO, ROOT)));
    const admitted = verdicts.filter((v) => v.kind === 'admit').length;
    expect(admitted, 'some are let through').to.be.greaterThan(0);
    for (const v of verdicts) {
      if (v.kind === 'refuse') expect([v.reason, v.code]).to.deep.equal(['SUDO_AUDIT_FULL', 'DATABASE_UNAVAILABLE']);
    }
    // They end, one after the other, while the first write is still out.
    for (let i = 0; i < admitted; i++) queue.enqueueReserved(event(i));
    release();
    await queue.close();
    expect(audit.events, 'an event for every run-as request that ran').to.have.length(admitted);
  });
});
