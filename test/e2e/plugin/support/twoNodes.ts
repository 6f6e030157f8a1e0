// Two host nodes on one database, a Data Center cluster of two: the e2e host and a second node
// started on its database, for the suites that check on one node what a change on the other did.
import type { TestDatabaseKind } from '../../../support/databases';
import { startTestHost, type TestHost, type TestHostOptions } from '../../../support/hostServer';
import { startE2e, stopAndCheckLeaks, type E2eEnv } from './e2eHost';

export interface TwoNodes {
  readonly e2e: E2eEnv;
  /** The second node (`node2`), Jira like the first. */
  readonly node2: TestHost;
}

/**
 * Starts the e2e host on a fresh database of `kind`, then `node2` on the same database; both get
 * `env`, the second node also `node2Options`. When the second node cannot start, the first is
 * stopped again (the suite's after hook has nothing to stop then).
 */
export async function startTwoNodes(kind: TestDatabaseKind, env: Record<string, string> = {}, node2Options: Partial<TestHostOptions> = {}): Promise<TwoNodes> {
  const e2e = await startE2e('jira', kind, env);
  try {
    return { e2e, node2: await startTestHost({ product: 'jira', dbUrl: e2e.host.dbUrl, nodeId: 'node2', env, ...node2Options }) };
  } catch (err) {
    await e2e.stop().catch(() => undefined);
    throw err;
  }
}

/** The after hook of such a suite: the second node first, then the e2e host with its leak check. */
export async function stopTwoNodes(nodes: Partial<TwoNodes>): Promise<void> {
  await nodes.node2?.stop();
  await stopAndCheckLeaks(nodes.e2e);
}

/** Polls `check` every `everyMs` (50) for up to `withinMs`; true as soon as it holds. */
export async function eventually(check: () => Promise<boolean>, withinMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
