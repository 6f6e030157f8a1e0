// `npm start`: one host node from the environment, with the plugin of atlassian-plugin.json
// (or the descriptors listed in PLUGIN_DESCRIPTORS, comma-separated). Whatever stops the start
// is one line on stderr naming the setting, its value and the fix, and exit code 1.
import path from 'node:path';
import 'reflect-metadata';
import type { HostConfig } from './impl/HostRuntime';
import { loadConfig, loadStartOptions, redactDbUrl, type StartOptions } from './config';
import { createHostLogger, flushBufferedLines } from './logging';
import { startHost, type RunningHost } from './server';
import { claimSqliteDatabase, prepareStorage } from './startupChecks';
import { describeStartupError } from './startupErrors';

const ROOT = path.resolve(__dirname, '..');
/** A signal within this long of the first is the same request to stop, delivered twice. */
const REPEATED_SIGNAL_MS = 1000;

/** Prints why the start failed (the stack too at LOG_LEVEL=debug or silly) and exits 1. */
function fail(err: unknown, dbUrl?: string): never {
  // The log of the part that did start goes first: the verdict is the last line a reader sees.
  flushBufferedLines();
  console.error(`Cannot start: ${describeStartupError(err, { dbUrl, pluginDescriptors: process.env.PLUGIN_DESCRIPTORS?.trim() || undefined })}`);
  const level = process.env.LOG_LEVEL?.trim().toLowerCase();
  if ((level === 'debug' || level === 'silly') && err instanceof Error && err.stack) console.error(err.stack);
  process.exit(1);
}

function configure(): { config: HostConfig; options: StartOptions } {
  const config = loadConfig(process.env);
  const options = loadStartOptions(process.env, {
    cwd: process.cwd(), defaultDescriptor: path.join(ROOT, 'atlassian-plugin.json'), stderrIsTty: Boolean(process.stderr.isTTY),
  });
  for (const notice of prepareStorage(config)) console.warn(`Warning: ${notice}`);
  claimSqliteDatabase(config);
  return { config, options };
}

/** How to log in: a database keeps the password an earlier start's ADMIN_PASSWORD gave admin. */
async function loginLine(host: RunningHost, config: HostConfig): Promise<string> {
  if (config.adminPassword !== undefined) return 'Log in as admin with ADMIN_PASSWORD (system administrator).';
  if (await host.runtime.users.hasDefaultAdminPassword()) return 'Log in as admin / admin (system administrator).';
  return 'Log in as admin with the password ADMIN_PASSWORD gave it at an earlier start (system administrator); start with ADMIN_PASSWORD=<password> to set another.';
}

async function main(): Promise<void> {
  let configured: { config: HostConfig; options: StartOptions };
  try {
    configured = configure();
  } catch (err) {
    fail(err, process.env.DB_URL?.trim() || undefined);
  }
  const { config, options } = configured;
  const logger = createHostLogger({ level: config.logLevel, nodeId: config.nodeId, format: options.logFormat });
  let host: RunningHost;
  try {
    host = await startHost(config, { descriptorPaths: options.descriptorPaths, bindAddress: options.bindAddress, logger });
  } catch (err) {
    fail(err, config.dbUrl);
  }
  // Listening before the banner: a script that stops the host once it reads the banner gets the orderly stop.
  let firstSignalAt: number | null = null;
  const shutdown = (signal: string): void => {
    // Ctrl-C under `npm start` arrives twice at once (from the terminal and forwarded by npm): only
    // a second signal a while after the first gives up the orderly stop (its final flushes).
    if (firstSignalAt !== null) {
      if (Date.now() - firstSignalAt > REPEATED_SIGNAL_MS) process.exit(1);
      return;
    }
    firstSignalAt = Date.now();
    console.log(`${signal} received, stopping…`);
    host.stop().then(() => process.exit(0), (err: unknown) => {
      console.error(`Stop failed: ${(err as Error).message}`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const product = config.product === 'jira' ? 'Jira' : 'Confluence';
  console.log(`${product} (host simulator) is running at ${host.url}`);
  console.log(await loginLine(host, config));
  console.log(`Database: ${redactDbUrl(host.config.dbUrl)}   Node: ${host.config.nodeId}   Dev mode: ${host.config.devMode}`);
}

main().catch((err: unknown) => fail(err));
