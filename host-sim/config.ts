// Host configuration from the environment (SPEC §2), validated once at start.
import fs from 'node:fs';
import path from 'node:path';
import type { Product } from './spi';
import type { HostConfig } from './impl/HostRuntime';
import { parseProperties } from './impl/i18n/javaProperties';

/** Thrown by {@link loadConfig} for an invalid setting; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const PRODUCT_DEFAULTS: Record<Product, { port: number; contextPath: string }> = {
  jira: { port: 2990, contextPath: '/jira' },
  confluence: { port: 1990, contextPath: '/confluence' },
};

const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function parseBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const lower = raw.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off'].includes(lower)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parseContextPath(raw: string): string {
  const trimmed = raw.replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(trimmed)) {
    throw new ConfigError(`CONTEXT_PATH must look like /jira (or be empty), got "${raw}"`);
  }
  return trimmed;
}

function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`BASE_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`BASE_URL must be an absolute http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function parseDbUrl(raw: string): string {
  if (raw.startsWith('sqlite:')) {
    if (raw.length === 'sqlite:'.length) throw new ConfigError('DB_URL sqlite: needs a file, e.g. sqlite:./data/jira.db');
    return raw;
  }
  if (raw.startsWith('mysql://') || raw.startsWith('mariadb://')) {
    try {
      const url = new URL(raw);
      if (!url.hostname || url.pathname.length < 2) throw new Error('incomplete');
    } catch {
      throw new ConfigError('DB_URL must be mysql://user:pass@host:port/db');
    }
    return raw;
  }
  throw new ConfigError('DB_URL must start with sqlite: or mysql://');
}

function parseSysPropsEnv(raw: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const part of raw.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigError(`HOSTSIM_SYSPROPS entries must be name=value, got "${item}"`);
    result[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return result;
}

function loadSystemProperties(env: Env, dataDir: string): Record<string, string> {
  const file = path.join(dataDir, 'host.properties');
  const props: Record<string, string> = {};
  if (fs.existsSync(file)) Object.assign(props, parseProperties(fs.readFileSync(file, 'utf8')));
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
 * Reads the host configuration from environment variables (SPEC §2). Relative paths are
 * resolved against `cwd`. Throws {@link ConfigError} for an invalid value.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): HostConfig {
  const productRaw = (nonEmpty(env, 'PRODUCT') ?? 'jira').toLowerCase();
  if (productRaw !== 'jira' && productRaw !== 'confluence') {
    throw new ConfigError(`PRODUCT must be jira or confluence, got "${productRaw}"`);
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
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const nodeId = nonEmpty(env, 'NODE_ID') ?? 'node1';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(nodeId)) {
    throw new ConfigError(`NODE_ID must be 1-64 letters, digits, dots, dashes or underscores, got "${nodeId}"`);
  }
  const devMode = parseBoolean(env, 'DEV_MODE', env.NODE_ENV !== 'production');
  const smtpUrl = nonEmpty(env, 'SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\/.+/.test(smtpUrl)) {
    throw new ConfigError('SMTP_URL must be smtp://host:port or smtps://host:port');
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
    maxFailedLogins: parseInteger(env, 'MAX_FAILED_LOGINS', 3, 1, 1000),
    clusterPollIntervalMs: parseInteger(env, 'CLUSTER_POLL_MS', 250, 10, 999),
    systemProperties: loadSystemProperties(env, dataDir),
  };
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

/** `mysql://user:secret@host/db` → `mysql://user:***@host/db`, for printing. */
export function redactDbUrl(dbUrl: string): string {
  return dbUrl.replace(/^(\w+:\/\/[^:/@]*):[^@]*@/, '$1:***@');
}
