// `npm start`: one host node from the environment, with the plugin of atlassian-plugin.json
// (or the descriptors listed in PLUGIN_DESCRIPTORS, comma-separated).
import fs from 'node:fs';
import path from 'node:path';
import 'reflect-metadata';
import { ConfigError, loadConfig, redactDbUrl } from './config';
import { startHost, type RunningHost } from './server';

const ROOT = path.resolve(__dirname, '..');

function descriptorPaths(): string[] {
  const raw = process.env.PLUGIN_DESCRIPTORS ?? path.join(ROOT, 'atlassian-plugin.json');
  return raw.split(',').map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(p));
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`Invalid configuration: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  let host: RunningHost;
  try {
    host = await startHost(config, { descriptorPaths: descriptorPaths(), bindAddress: process.env.BIND_ADDRESS });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`Cannot start the ${config.product} host (database ${redactDbUrl(config.dbUrl)}): ${message}`);
    process.exit(1);
  }
  const product = config.product === 'jira' ? 'Jira' : 'Confluence';
  console.log(`${product} (host simulator) is running at ${host.url}`);
  console.log('Log in as admin / admin (system administrator).');
  console.log(`Database: ${redactDbUrl(host.config.dbUrl)}   Node: ${host.config.nodeId}   Dev mode: ${host.config.devMode}`);

  let signals = 0;
  const shutdown = (signal: string): void => {
    signals += 1;
    if (signals > 1) process.exit(1);
    console.log(`${signal} received, stopping…`);
    host.stop().then(() => process.exit(0), (err: unknown) => {
      console.error(`Stop failed: ${(err as Error).message}`);
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
