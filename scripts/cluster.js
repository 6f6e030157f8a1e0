#!/usr/bin/env node
// `npm run cluster`: a Data Center on this machine, as operators run it — a throwaway MariaDB or
// PostgreSQL, three host nodes (separate processes) on it and HAProxy in front of them, all on
// free 127.0.0.1 ports. Prints the balancer's URL; Ctrl-C (or SIGTERM) stops everything in order:
// the balancer, the nodes (gracefully), the database, and removes their files.
//
//   npm run cluster                          # Jira, PostgreSQL
//   npm run cluster -- --db mariadb --product confluence --port 2990
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { startHaproxy, haproxyCommand } = require('./haproxy');
const { freePort, startMariaDb } = require('./mariadb-server');
const { startPostgres } = require('./postgres-server');

const ROOT = path.resolve(__dirname, '..');
const MAIN = path.join(ROOT, 'host-sim', 'main.ts');
/** Loads the TypeScript from a disk cache where it can (register-ts.js): ~1 s less per node started. */
const REGISTER_TS = path.join(__dirname, 'register-ts.js');
const NODE_START_TIMEOUT_MS = 90_000;
const NODE_STOP_TIMEOUT_MS = 20_000;

const USAGE = `Usage: npm run cluster -- [--db postgres|mariadb] [--product jira|confluence] [--nodes 2-5] [--port <balancer port>]

Starts a throwaway database (default postgres), the nodes (default 3) on it and HAProxy in front
of them on free 127.0.0.1 ports, prints the URL and stops everything on Ctrl-C.`;

function options(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        db: { type: 'string', default: 'postgres' },
        product: { type: 'string', default: 'jira' },
        nodes: { type: 'string', default: '3' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    return { error: err.message };
  }
  if (parsed.help) return { help: true };
  if (parsed.db === 'sqlite') return { error: '--db sqlite is not a cluster: SQLite is one file for one node. Use --db postgres or --db mariadb.' };
  if (!['postgres', 'mariadb'].includes(parsed.db)) return { error: `--db must be postgres or mariadb, not ${parsed.db}` };
  if (!['jira', 'confluence'].includes(parsed.product)) return { error: `--product must be jira or confluence, not ${parsed.product}` };
  const nodes = Number(parsed.nodes);
  if (!Number.isInteger(nodes) || nodes < 2 || nodes > 5) return { error: `--nodes must be a whole number from 2 to 5, not ${parsed.nodes}` };
  const port = parsed.port === undefined ? undefined : Number(parsed.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) return { error: `--port must be a port number, not ${parsed.port}` };
  return { db: parsed.db, product: parsed.product, nodes, port };
}

async function status(url) {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).status;
  } catch {
    return 0;
  }
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

/** One node process: `node -r ./scripts/register-ts.js host-sim/main.ts` with its own NODE_ID, PORT and DATA_DIR. */
function startNode({ nodeId, port, dir, env }) {
  const dataDir = path.join(dir, nodeId);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(dir, `${nodeId}.log`);
  const out = fs.openSync(logFile, 'a');
  // Its own process group: a Ctrl-C in the terminal reaches only this script, which stops the nodes in order.
  const child = spawn(process.execPath, ['-r', REGISTER_TS, MAIN], {
    cwd: ROOT, env: { ...process.env, ...env, NODE_ID: nodeId, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', out, out], detached: true,
  });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return { nodeId, port, logFile, child, exited };
}

async function waitReady(node, url) {
  const deadline = Date.now() + NODE_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (node.child.exitCode !== null || node.child.signalCode !== null) {
      throw new Error(`${node.nodeId} exited while starting:\n${tail(node.logFile)}`);
    }
    if (await status(url) === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${node.nodeId} did not answer ${url} within ${NODE_START_TIMEOUT_MS / 1000} s:\n${tail(node.logFile)}`);
}

async function stopNode(node) {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill('SIGTERM');
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), NODE_STOP_TIMEOUT_MS); });
  if (await Promise.race([node.exited, timeout]) === 'timeout') node.child.kill('SIGKILL');
  clearTimeout(timer);
  await node.exited;
}

async function main() {
  const opts = options(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  if (opts.error) {
    console.error(`${opts.error}\n\n${USAGE}`);
    process.exit(2);
  }
  haproxyCommand(); // exits with the install command when HAProxy is missing, before anything starts
  const contextPath = opts.product === 'jira' ? '/jira' : '/confluence';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-dc-'));
  const nodes = [];
  let db = null;
  let haproxy = null;
  let stopping = null;
  const stop = (reason) => {
    stopping ??= (async () => {
      if (reason) console.log(`\n${reason}: stopping the balancer, the nodes and the database …`);
      await haproxy?.stop().catch(() => undefined);
      await Promise.all(nodes.map((n) => stopNode(n).catch(() => undefined)));
      await db?.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  // Never leave processes behind, even when this script dies.
  process.on('exit', () => {
    for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => { stop(signal).then(() => process.exit(0), () => process.exit(1)); });
  }
  try {
    console.log(`Starting ${opts.db === 'postgres' ? 'PostgreSQL' : 'MariaDB'} …`);
    db = opts.db === 'postgres'
      ? await startPostgres({ database: `${opts.product}db`, user: opts.product })
      : await startMariaDb({ database: `${opts.product}db`, detached: true });
    const balancerPort = opts.port ?? await freePort();
    const baseUrl = `http://127.0.0.1:${balancerPort}${contextPath}`;
    const env = {
      PRODUCT: opts.product, DB_URL: db.url, BASE_URL: baseUrl, LOG_FORMAT: 'text',
      LOG_LEVEL: process.env.LOG_LEVEL || 'info',
      // HAProxy's X-Forwarded-For is believed, so IP allowlists and the audit see the real client.
      HOSTSIM_SYSPROPS: ['hostsim.trusted.proxies=127.0.0.1', process.env.HOSTSIM_SYSPROPS].filter(Boolean).join(','),
    };
    const ports = [];
    for (let i = 1; i <= opts.nodes; i++) ports.push(await freePort());
    const nodeUrl = (port) => `http://127.0.0.1:${port}${contextPath}`;
    // node1 first: it creates the schema; the others then start together.
    console.log('Starting node1 (it creates the schema) …');
    nodes.push(startNode({ nodeId: 'node1', port: ports[0], dir, env }));
    await waitReady(nodes[0], `${nodeUrl(ports[0])}/status`);
    console.log(`Starting ${ports.slice(1).map((_, i) => `node${i + 2}`).join(', ')} …`);
    const others = ports.slice(1).map((port, i) => startNode({ nodeId: `node${i + 2}`, port, dir, env }));
    nodes.push(...others);
    await Promise.all(others.map((n) => waitReady(n, `${nodeUrl(n.port)}/status`)));
    haproxy = await startHaproxy({
      dir: path.join(dir, 'haproxy'), port: balancerPort, contextPath,
      nodes: nodes.map((n) => ({ name: n.nodeId, port: n.port })),
    });
    const product = opts.product === 'jira' ? 'Jira' : 'Confluence';
    console.log(`
${product} Data Center (${nodes.length} nodes, ${opts.db === 'postgres' ? 'PostgreSQL' : 'MariaDB'}, HAProxy) is running at ${baseUrl}
Log in as admin / admin (system administrator).

  balancer   ${baseUrl}   (HAProxy ${haproxy.configFile})
${nodes.map((n) => `  ${n.nodeId.padEnd(10)} ${nodeUrl(n.port)}   pid ${n.child.pid}   (log ${n.logFile})`).join('\n')}
  database   ${db.url.replace(/:[^:@/]*@/, ':***@')}

Token calls are balanced round robin; a browser session sticks to its node (JSESSIONID cookie).
Kill a node (kill -9 <pid>) to see HAProxy take it out. Press Ctrl-C to stop everything.`);
    for (const n of nodes) {
      n.exited.then((how) => { if (!stopping) console.log(`${n.nodeId} exited (${how}); HAProxy takes it out of the balancer.`); });
    }
  } catch (err) {
    console.error(`Cannot start the cluster: ${err.message}`);
    await stop();
    process.exit(1);
  }
}

main();
