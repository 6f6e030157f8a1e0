// HAProxy (Debian's haproxy, 2.6) in front of the host's nodes, for `npm run cluster` and the
// cluster suites: round robin with no stickiness for token REST calls, cookie stickiness for
// browser sessions (the JSESSIONID cookie prefixed with the node's name, as Atlassian's
// load-balancer guide configures it), a health check on each node's `GET <context>/status`,
// and one log line per request on stdout naming the node that served it.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { findCommand, installCommandLine } = require('./ensure-system-packages');

/**
 * The configuration text. `nodes`: [{ name, port }] on 127.0.0.1; `check`: health-check timing
 * (`interval` ms, `fall`/`rise` checks in a row).
 */
function haproxyConfig({ port, contextPath, nodes, statsSocket, check = { interval: 1000, fall: 2, rise: 2 } }) {
  const servers = nodes.map((n) => `    server ${n.name} 127.0.0.1:${n.port} check cookie ${n.name}`);
  return [
    'global',
    '    maxconn 4096',
    '    log stdout format raw local0',
    ...(statsSocket ? [`    stats socket ${statsSocket} mode 600 level admin`] : []),
    '',
    'defaults',
    '    mode http',
    '    log global',
    '    option httplog',
    '    timeout connect 2s',
    '    timeout client 60s',
    '    timeout server 60s',
    // A connection refused by a node that has just died is tried on another node.
    '    retries 2',
    '    option redispatch 1',
    '',
    'frontend hostsim',
    `    bind 127.0.0.1:${port}`,
    '    capture request header X-Request-Id len 64',
    // One line per request: the node (or <NOSRV>), the status, the termination state, the request id.
    '    log-format "req server=%s status=%ST term=%tsc id=%hr"',
    '    default_backend nodes',
    '',
    'backend nodes',
    '    balance roundrobin',
    `    option httpchk GET ${contextPath}/status`,
    '    http-check expect status 200',
    `    default-server inter ${check.interval}ms fastinter ${check.interval}ms downinter ${check.interval}ms fall ${check.fall} rise ${check.rise}`,
    // Sticky browser sessions only: a request without JSESSIONID (every token call) is balanced freely.
    '    cookie JSESSIONID prefix nocache',
    '    option forwardfor',
    '    http-response set-header X-Served-By %s',
    ...servers,
    '',
  ].join('\n');
}

/** Exits the process with the command that installs HAProxy when it is missing. */
function haproxyCommand() {
  const haproxy = findCommand('haproxy');
  if (!haproxy) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    console.error(`HAProxy is needed as the load balancer. Run:\n  ${installCommandLine(['haproxy'], { isRoot })}`);
    process.exit(2);
  }
  return haproxy;
}

/** Whether a connection made by `open` is accepted (it is closed at once). */
function connectable(open) {
  return new Promise((resolve) => {
    const c = open();
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

/** Sends one command to the admin socket and resolves with the answer. */
function socketCommand(socket, command) {
  return new Promise((resolve, reject) => {
    const conn = net.connect(socket);
    let out = '';
    conn.on('data', (d) => { out += d.toString('utf8'); });
    conn.on('end', () => resolve(out));
    conn.on('error', reject);
    conn.end(`${command}\n`);
  });
}

/** `show stat` of the backend's servers: `{ node1: { status: 'UP', stot: '12', … } }`. */
async function serverStats(socket) {
  const csv = await socketCommand(socket, 'show stat');
  const lines = csv.split('\n').filter(Boolean);
  const header = lines[0].replace(/^# /, '').split(',');
  const out = {};
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    if (cells[0] !== 'nodes' || cells[1] === 'BACKEND' || cells[1] === 'FRONTEND') continue;
    out[cells[1]] = Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
  }
  return out;
}

/**
 * Starts HAProxy in the foreground (`-db`) with a config written to `dir`. Resolves once it
 * listens. The returned object: { url, port, logFile, stop(), serverStates(), logLines() }.
 */
async function startHaproxy({ dir, port, contextPath, nodes, check, onLine }) {
  const haproxy = haproxyCommand();
  fs.mkdirSync(dir, { recursive: true });
  const statsSocket = path.join(dir, 'haproxy.sock');
  const configFile = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(configFile, haproxyConfig({ port, contextPath, nodes, statsSocket, check }));
  const logFile = path.join(dir, 'haproxy.log');
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const lines = [];
  const child = spawn(haproxy, ['-f', configFile, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let partial = '';
  const onData = (chunk) => {
    log.write(chunk);
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop();
    for (const line of parts) {
      lines.push(line);
      if (onLine) onLine(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const deadline = Date.now() + 10000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`HAProxy exited while starting:\n${lines.join('\n')}`);
    // HAProxy binds the port and creates the admin socket in no set order; callers ask the socket
    // (`serverStates`) right after start, so both must answer before it counts as started.
    const up = await connectable(() => net.connect(port, '127.0.0.1')) && await connectable(() => net.connect(statsSocket));
    if (up) break;
    if (Date.now() > deadline) throw new Error(`HAProxy did not listen on 127.0.0.1:${port} and ${statsSocket}:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  let stopping = null;
  return {
    url: `http://127.0.0.1:${port}${contextPath}`,
    port,
    pid: child.pid,
    logFile,
    configFile,
    /** The request log lines (`req server=… status=… term=… id={…}`) and HAProxy's own messages so far. */
    logLines: () => [...lines],
    /** `{ node1: 'UP' | 'DOWN' | …, … }` from the admin socket (`show stat`). */
    async serverStates() {
      const stats = await serverStats(statsSocket);
      return Object.fromEntries(Object.entries(stats).map(([name, row]) => [name, row.status.split(' ')[0]]));
    },
    /** Every `show stat` column of each node, by the CSV header's names (e.g. `status`, `stot`, `srv_abrt`). */
    serverStats: () => serverStats(statsSocket),
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGUSR1'); // soft stop: finishes the requests in flight
          let timer;
          const timeout = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), 5000); });
          if (await Promise.race([exited, timeout]) === 'timeout') child.kill('SIGKILL');
          clearTimeout(timer);
          await exited;
        }
        await new Promise((resolve) => log.end(resolve));
      })();
      return stopping;
    },
  };
}

module.exports = { haproxyConfig, startHaproxy, haproxyCommand };
