// Turns whatever stopped `npm start` into the one line an operator reads: the setting, its
// value and the fix. Configuration and storage errors already are such lines (ConfigError);
// database errors are recognised by their codes, plugin errors by their type (server.ts wraps
// a failed activation in one); anything else is its first line.
import { ConfigError, redactDbUrl } from './config';
import { CollationError } from './impl/db/collationCheck';
import { PluginLoadError } from './loader/PluginDescriptor';
import type { SystemPropertyError } from './spi';

/** What the failed start was configured with. */
export interface StartupContext {
  readonly dbUrl?: string;
  /** `PLUGIN_DESCRIPTORS` as given, when it was. */
  readonly pluginDescriptors?: string;
}

interface CodedError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly driverError?: unknown;
}

/** `err` and what it wraps (`driverError`, else `cause`), each once. */
function* causeChain(err: unknown): Generator<CodedError> {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as CodedError;
    yield e;
    current = e.driverError ?? e.cause;
  }
}

/** The first error code (`ECONNREFUSED`, `ER_ACCESS_DENIED_ERROR`, `SQLITE_CANTOPEN`, …) along the cause chain. */
export function errorCodeOf(err: unknown): string | undefined {
  for (const e of causeChain(err)) if (typeof e.code === 'string' && e.code !== '') return e.code;
  return undefined;
}

function hostOf(dbUrl: string): string {
  try {
    const url = new URL(dbUrl);
    return `${url.hostname}:${url.port || (url.protocol.startsWith('postgres') ? '5432' : '3306')}`;
  } catch {
    return 'the database host';
  }
}

function databaseOf(dbUrl: string): string {
  try {
    return decodeURIComponent(new URL(dbUrl).pathname.slice(1)) || 'the database';
  } catch {
    return 'the database';
  }
}

/** The problem and fix for a database error code, or undefined when the code is not about reaching the database. */
function databaseProblem(code: string, dbUrl: string): [string, string] | undefined {
  const host = hostOf(dbUrl);
  switch (code) {
    case 'ECONNREFUSED': return [`nothing accepts connections at ${host} (ECONNREFUSED)`, 'start the database server or fix the host and port in DB_URL'];
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return [`the host name in DB_URL does not resolve (${code})`, 'fix the host in DB_URL'];
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH': return [`${host} does not answer (${code})`, 'check that the database server runs and that a firewall lets this machine through'];
    case 'ER_ACCESS_DENIED_ERROR': return ['the database refused the user name or password (ER_ACCESS_DENIED_ERROR)', 'fix the user and password in DB_URL'];
    case 'ER_DBACCESS_DENIED_ERROR': return [`the user may not use the database ${databaseOf(dbUrl)} (ER_DBACCESS_DENIED_ERROR)`, `GRANT ALL ON ${databaseOf(dbUrl)}.* TO the user in DB_URL`];
    case 'ER_HOST_NOT_PRIVILEGED': return ['the database does not let this machine connect (ER_HOST_NOT_PRIVILEGED)', 'create the user for this machine\'s address on the database server'];
    case 'ER_BAD_DB_ERROR': return [`the database ${databaseOf(dbUrl)} does not exist (ER_BAD_DB_ERROR)`, `create it: CREATE DATABASE ${databaseOf(dbUrl)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`];
    // PostgreSQL SQLSTATEs
    case '28P01': return ['the database refused the user name or password (28P01)', 'fix the user and password in DB_URL'];
    case '28000': return ['the database does not let this user connect from this machine (28000)', 'allow it in the server\'s pg_hba.conf, or fix the user in DB_URL'];
    case '42501': return [`the user may not use the database ${databaseOf(dbUrl)} (42501)`, `GRANT ALL ON DATABASE ${databaseOf(dbUrl)} TO the user in DB_URL, and make it the owner of the schema`];
    case '3D000': return [`the database ${databaseOf(dbUrl)} does not exist (3D000)`, `create it: CREATE DATABASE ${databaseOf(dbUrl)} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`];
    case 'SQLITE_CANTOPEN': return ['SQLite cannot open the file (SQLITE_CANTOPEN)', 'check that the file\'s folder exists and is writable for the user running npm start'];
    case 'SQLITE_READONLY': return ['the SQLite file is read-only (SQLITE_READONLY)', 'make the file and its folder writable for the user running npm start'];
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT': return [`the file is not a SQLite database (${code})`, 'point DB_URL at the host\'s database file or at a new file'];
    case 'SQLITE_BUSY': return ['another process holds the SQLite file locked (SQLITE_BUSY)', 'stop the other host using this file, or use MySQL for several nodes'];
    default: return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0].trim().slice(0, 500);
}

interface PropertyProblem { readonly property: string; readonly value: string; readonly expected: string }

/** A plugin's {@link SystemPropertyError} along the cause chain (by its code: a plugin may bring its own copy of the SPI). */
function systemPropertyProblem(err: unknown): PropertyProblem | undefined {
  for (const link of causeChain(err)) {
    const e = link as Partial<SystemPropertyError>;
    if (e.code === 'SYSTEM_PROPERTY_INVALID' && typeof e.property === 'string' && typeof e.value === 'string' && typeof e.expected === 'string') {
      return { property: e.property, value: e.value, expected: e.expected };
    }
  }
  return undefined;
}

/** The one line (without a "Cannot start" prefix) that explains why the start failed. */
export function describeStartupError(err: unknown, context: StartupContext = {}): string {
  if (err instanceof ConfigError) return err.message;
  const property = systemPropertyProblem(err);
  if (property) {
    return new ConfigError(property.property, property.value, 'a plugin cannot use this value of its system property',
      `set it to ${property.expected} in HOSTSIM_SYSPROPS or <DATA_DIR>/host.properties`).message;
  }
  const code = errorCodeOf(err);
  if (code !== undefined && context.dbUrl !== undefined) {
    const known = databaseProblem(code, context.dbUrl);
    if (known) return new ConfigError('DB_URL', redactDbUrl(context.dbUrl), known[0], known[1]).message;
  }
  if (err instanceof CollationError && context.dbUrl !== undefined) {
    const db = err.database;
    return new ConfigError('DB_URL', redactDbUrl(context.dbUrl),
      `${err.finding}, under which different user names and keys compare as equal (HOSTSIM_COLLATION)`,
      `use a database created with CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, or convert it: ALTER DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin and ALTER TABLE <table> CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin for each table`).message;
  }
  if (err instanceof PluginLoadError) {
    const detail = firstLine(err.message);
    if (context.pluginDescriptors !== undefined) {
      return new ConfigError('PLUGIN_DESCRIPTORS', context.pluginDescriptors, detail, 'fix that plugin or leave it out of PLUGIN_DESCRIPTORS').message;
    }
    return `the plugin cannot be loaded: ${detail}; fix atlassian-plugin.json or the plugin's code`;
  }
  const message = err instanceof Error ? err.message : String(err);
  const redacted = context.dbUrl ? message.split(context.dbUrl).join(redactDbUrl(context.dbUrl)) : message;
  return `${firstLine(redacted)}${code ? ` (${code})` : ''}; run with LOG_LEVEL=debug to see where it failed`;
}
