// Shared set-up for the host runtime contract suites: configs, runtimes on a test database
// (several runtimes on one database are several cluster nodes) and condition polling.
import type { MigrationInterface } from 'typeorm';
import winston from 'winston';
import { createHostRuntime } from '../../../host-sim/impl/createHostRuntime';
import type { HostConfig, HostRuntime } from '../../../host-sim/impl/HostRuntime';
import type { Product } from '../../../host-sim/spi';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from '../../support/databases';

export function hostConfig(dbUrl: string, overrides: Partial<HostConfig> = {}): HostConfig {
  const product: Product = overrides.product ?? 'jira';
  const contextPath = product === 'jira' ? '/jira' : '/confluence';
  return {
    product,
    port: 0,
    contextPath,
    baseUrl: `http://localhost:${product === 'jira' ? 2990 : 1990}${contextPath}`,
    dbUrl,
    dataDir: '/tmp',
    logLevel: process.env.LOG_LEVEL ?? 'warn',
    nodeId: 'node-1',
    devMode: true,
    maxFailedLogins: 3,
    clusterPollIntervalMs: 100,
    systemProperties: {},
    ...overrides,
  };
}

/** A logger that swallows everything (expected outages log errors). */
export function silentLogger(): winston.Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });
}

/** A fresh database plus runtimes on it; `cleanup` closes every runtime and drops the database. */
export class HostCluster {
  readonly runtimes: HostRuntime[] = [];

  private constructor(readonly db: TestDatabase) {}

  static async create(kind: TestDatabaseKind): Promise<HostCluster> {
    return new HostCluster(await createTestDatabase(kind));
  }

  /** Starts one more node; give explicit node ids when starting several at once. */
  async start(overrides: Partial<HostConfig> = {}, extraMigrations?: readonly MigrationInterface[]): Promise<HostRuntime> {
    const nodeId = overrides.nodeId ?? `node-${this.runtimes.length + 1}`;
    const runtime = await createHostRuntime(hostConfig(this.db.url, { ...overrides, nodeId }), {
      extraMigrations, logger: silentLogger(),
    });
    this.runtimes.push(runtime);
    return runtime;
  }

  async cleanup(): Promise<void> {
    for (const runtime of this.runtimes.splice(0)) await runtime.close();
    await this.db.drop();
  }
}

/** Resolves once `condition` holds; rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
