// Host configuration from the environment, validated once at start. Every invalid setting is a
// ConfigError: one line naming the variable, its value and the fix.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Product } from './spi';
import type { HostLogFormat } from './impl/createHostLogger';
import type { HostConfig } from './impl/HostRuntime';
import { DEFAULT_MAX_LAG_MS } from './impl/cluster/DefaultClusterMessagingService';
import { parseProperties } from './impl/i18n/javaProperties';
import { redactDbUrl } from './impl/db/dbUrl';

/** `abc` as is; an empty value or one with spaces or quotes in JSON quotes; long values cut. */
function shown(value: string): string {
  const cut = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return cut === '' || /[\s"'\\]/.test(cut) ? JSON.stringify(cut) : cut;
}

/**
 * An operator error at start: `SETTING=value: problem; fix` on one line. Thrown by
 * {@link loadConfig} and the start-up checks; `npm start` prints the message and exits 1.
 */
export class ConfigError extends Error {
  constructor(readonly setting: string, readonly value: string, problem: string, fix: string) {
    super(`${setting}=${shown(value)}: ${problem}; ${fix}`);
    this.name = 'ConfigError';
  }
}

const PRODUCT_DEFAULTS: Record<Product, { port: number; contextPath: string }> = {
  jira: { port: 2990, contextPath: '/jira' },
  confluence: { port: 1990, contextPath: '/confluence' },
};

const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

/** `text` (one readable line per entry) or `json` (one JSON object per line). */
export type LogFormat = HostLogFormat;

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(name, raw, `not a whole number from ${min} to ${max}`, `set ${name} to a number in that range or unset it`);
  }
  return Number(raw);
}

function parseBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const lower = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  throw new ConfigError(name, raw, 'not a boolean', `set ${name} to true or false`);
}

function parseContextPath(raw: string): string {
  const trimmed = raw.replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(trimmed)) {
    throw new ConfigError('CONTEXT_PATH', raw, 'not a path like /jira', 'set CONTEXT_PATH to a path starting with / (e.g. /jira) or to an empty value');
  }
  return trimmed;
}

function parseBaseUrl(raw: string): string {
  let protocol = '';
  try {
    protocol = new URL(raw).protocol;
  } catch { /* reported below */ }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ConfigError('BASE_URL', raw, 'not an absolute http(s) URL', 'set BASE_URL to the URL users reach the host at, e.g. https://jira.example.com/jira');
  }
  return raw.replace(/\/+$/, '');
}

const DB_URL_FIX = 'set DB_URL to sqlite:<file>, mysql://user:password@host:port/database or postgres://user:password@host:port/database';

function parseDbUrl(raw: string): string {
  if (raw.startsWith('sqlite:')) {
    if (raw.length === 'sqlite:'.length) throw new ConfigError('DB_URL', raw, 'names no file', 'set DB_URL to sqlite:<file>, e.g. sqlite:./data/jira.db');
    return raw;
  }
  const server = /^(mysql|mariadb):\/\//.test(raw) ? 'MySQL' : /^(postgres|postgresql):\/\//.test(raw) ? 'PostgreSQL' : null;
  if (server) {
    let complete = false;
    try {
      const url = new URL(raw);
      complete = url.hostname !== '' && url.pathname.length > 1 && /^\d*$/.test(url.port);
    } catch { /* reported below */ }
    if (!complete) throw new ConfigError('DB_URL', redactDbUrl(raw), `not a complete ${server} URL`, DB_URL_FIX);
    return raw;
  }
  throw new ConfigError('DB_URL', redactDbUrl(raw), 'not a database URL this host knows', DB_URL_FIX);
}

function parseSysPropsEnv(raw: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of raw.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigError('HOSTSIM_SYSPROPS', raw, `the entry "${item}" is not name=value`, 'set HOSTSIM_SYSPROPS to comma-separated name=value pairs');
    result[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return result;
}

/**
 * Stops the start when every user of the machine may write `file` (a folder even with the sticky
 * bit: others may still add a missing file there). What the host reads from DATA_DIR decides who
 * logs in: host.properties can switch websudo off or trust every address as a proxy, and the
 * SQLite file holds the users and the tokens.
 */
export function refuseWritableByOthers(file: string, setting: string, value: string): void {
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    mode = fs.statSync(file).mode;
  } catch {
    return; // missing, or unreadable: reported where it is opened
  }
  if ((mode & 0o002) === 0) return;
  throw new ConfigError(setting, value, `every user of this machine may write ${file}, which decides who logs in`,
    `chmod o-w ${file} (and check what is in it), or choose another ${setting}`);
}

function loadSystemProperties(env: Env, dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'host.properties');
  refuseWritableByOthers(dataDir, 'DATA_DIR', dataDir);
  refuseWritableByOthers(file, 'DATA_DIR', dataDir);
  const props: Record<string, string> = {};
  if (fs.existsSync(file)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError('DATA_DIR', dataDir, `cannot read host.properties (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'make the file readable for this user or choose another DATA_DIR');
    }
    Object.assign(props, parseProperties(text));
  }
  const inline = nonEmpty(env, 'HOSTSIM_SYSPROPS');
  if (inline !== undefined) Object.assign(props, parseSysPropsEnv(inline));
  const secure = nonEmpty(env, 'APITOKENAUTH_SECURE_MODE');
  if (secure !== undefined) props['apitokenauth.secure.mode'] = String(parseBoolean(env, 'APITOKENAUTH_SECURE_MODE', false));
  return props;
}

/** The base URL the host derives when BASE_URL is not set. */
export function defaultBaseUrl(port: number, contextPath: string, env: Env = process.env): string {
  const host = env.NODE_ENV === 'test' ? '127.0.0.1' : 'localhost';
  return `http://${host}:${port}${contextPath}`;
}

/**
 * Reads the host configuration from environment variables (README "Configuration"). Relative paths are
 * resolved against `cwd`. Throws {@link ConfigError} for an invalid value.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): HostConfig {
  const productRaw = (nonEmpty(env, 'PRODUCT') ?? 'jira').toLowerCase();
  if (productRaw !== 'jira' && productRaw !== 'confluence') {
    throw new ConfigError('PRODUCT', env.PRODUCT ?? '', 'not a product this host simulates', 'set PRODUCT to jira or confluence');
  }
  const product: Product = productRaw;
  const defaults = PRODUCT_DEFAULTS[product];
  const port = parseInteger(env, 'PORT', defaults.port, 0, 65535);
  const contextPath = env.CONTEXT_PATH === undefined ? defaults.contextPath : parseContextPath(env.CONTEXT_PATH.trim());
  const baseRaw = nonEmpty(env, 'BASE_URL');
  const baseUrl = baseRaw === undefined ? defaultBaseUrl(port, contextPath, env) : parseBaseUrl(baseRaw);
  const dataDir = path.resolve(cwd, nonEmpty(env, 'DATA_DIR') ?? './data');
  const dbRaw = nonEmpty(env, 'DB_URL');
  const dbUrl = dbRaw === undefined ? `sqlite:${path.join(dataDir, `${product}.db`)}` : parseDbUrl(dbRaw);
  const logLevel = (nonEmpty(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', env.LOG_LEVEL ?? '', 'not a log level', `set LOG_LEVEL to one of ${LOG_LEVELS.join(', ')}`);
  }
  const nodeId = nonEmpty(env, 'NODE_ID') ?? 'node1';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(nodeId)) {
    throw new ConfigError('NODE_ID', nodeId, 'not a node name', 'set NODE_ID to 1-64 letters, digits, dots, dashes or underscores');
  }
  // NODE_ENV=production in any case, spaces around it allowed: a spelling must not leave the toolbox on.
  const devMode = parseBoolean(env, 'DEV_MODE', env.NODE_ENV?.trim().toLowerCase() !== 'production');
  // As given (a password may start or end with a space); only an empty one is no password.
  const adminPassword = env.ADMIN_PASSWORD === undefined || env.ADMIN_PASSWORD.trim() === '' ? undefined : env.ADMIN_PASSWORD;
  const smtpUrl = nonEmpty(env, 'SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\/.+/.test(smtpUrl)) {
    throw new ConfigError('SMTP_URL', redactDbUrl(smtpUrl), 'not an SMTP URL', 'set SMTP_URL to smtp://host:port or smtps://host:port');
  }
  return {
    product,
    port,
    contextPath,
    baseUrl,
    dbUrl,
    dataDir,
    logLevel,
    nodeId,
    devMode,
    smtpUrl,
    adminPassword,
    maxFailedLogins: parseInteger(env, 'MAX_FAILED_LOGINS', 3, 1, 1000),
    clusterPollIntervalMs: parseInteger(env, 'CLUSTER_POLL_MS', 250, 10, 999),
    clusterMaxLagMs: parseInteger(env, 'CLUSTER_MAX_LAG_MS', DEFAULT_MAX_LAG_MS, 1000, 120_000),
    systemProperties: loadSystemProperties(env, dataDir),
  };
}

/** How `npm start` runs the host beyond {@link HostConfig}. */
export interface StartOptions {
  /** `BIND_ADDRESS`, default 127.0.0.1 (0.0.0.0 or :: for every interface). */
  readonly bindAddress: string;
  /** `PLUGIN_DESCRIPTORS` (comma-separated), default the product's `atlassian-plugin.json`. */
  readonly descriptorPaths: readonly string[];
  readonly logFormat: LogFormat;
}

/**
 * Reads `BIND_ADDRESS`, `PLUGIN_DESCRIPTORS` and `LOG_FORMAT` (default: text when stderr is a
 * terminal, JSON otherwise). Throws {@link ConfigError} for an invalid value.
 */
export function loadStartOptions(env: Env, options: { cwd: string; defaultDescriptor: string; stderrIsTty: boolean }): StartOptions {
  const bindAddress = nonEmpty(env, 'BIND_ADDRESS') ?? '127.0.0.1';
  if (net.isIP(bindAddress) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(bindAddress)) {
    throw new ConfigError('BIND_ADDRESS', bindAddress, 'not an IP address or host name', 'set BIND_ADDRESS to an address of this machine, e.g. 127.0.0.1 or 0.0.0.0 for every interface');
  }
  const rawDescriptors = nonEmpty(env, 'PLUGIN_DESCRIPTORS');
  const descriptorPaths = rawDescriptors === undefined
    ? [options.defaultDescriptor]
    : rawDescriptors.split(',').map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(options.cwd, p));
  for (const file of descriptorPaths) {
    if (rawDescriptors !== undefined && !isFile(file)) {
      throw new ConfigError('PLUGIN_DESCRIPTORS', rawDescriptors, `${file} is not a file`, 'list existing atlassian-plugin.json files, comma-separated');
    }
  }
  const formatRaw = nonEmpty(env, 'LOG_FORMAT');
  const lower = formatRaw?.toLowerCase();
  if (lower !== undefined && lower !== 'text' && lower !== 'json') {
    throw new ConfigError('LOG_FORMAT', formatRaw ?? '', 'not a log format', 'set LOG_FORMAT to text or json');
  }
  const logFormat: LogFormat = lower ?? (options.stderrIsTty ? 'text' : 'json');
  return { bindAddress, descriptorPaths, logFormat };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The config once the HTTP port is bound: with PORT=0 the real port replaces 0, and a
 * derived base URL follows it (an explicit BASE_URL stays as given).
 */
export function withBoundPort(config: HostConfig, port: number, env: Env = process.env): HostConfig {
  if (config.port === port) return config;
  const derived = config.baseUrl === defaultBaseUrl(config.port, config.contextPath, env);
  return { ...config, port, baseUrl: derived ? defaultBaseUrl(port, config.contextPath, env) : config.baseUrl };
}

/** `mysql://user:secret@host/db` → `mysql://user:***@host/db`, for printing (one redaction for DB_URL and SMTP_URL). */
export { redactDbUrl };
