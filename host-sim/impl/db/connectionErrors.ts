// Classifies driver errors: "the database cannot be reached" versus everything else.

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT', 'PROTOCOL_ENQUEUE_HANDSHAKE_TWICE', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN',
  'ER_BAD_DB_ERROR', 'ER_CONNECTION_KILLED', 'CR_CONNECTION_ERROR', 'CR_SERVER_GONE_ERROR',
  'CR_SERVER_LOST', 'POOL_CLOSED',
  'SQLITE_CANTOPEN', 'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_FULL',
  // PostgreSQL SQLSTATEs: connection exceptions (class 08), the server shutting down or starting
  // (57P01–57P03), too many connections (53300), database does not exist (3D000).
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300', '3D000',
]);

/** Deadlock victims and serialization failures: the whole transaction may simply run again. */
const TRANSACTION_CONFLICT_CODES = new Set(['ER_LOCK_DEADLOCK', '40P01', '40001']);

const CONNECTION_MESSAGES = [
  /pool is closed/i,
  /connection is in closed state/i,
  /database connection is not open/i,
  /connection lost/i,
  /connect etimedout/i,
  /connection.*(closed|terminated)/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /cannot use a pool after calling end/i,
];

/** Error codes of lock contention that a caller may retry (not an outage). */
export function isBusyError(err: unknown): boolean {
  return codesOf(err).some((c) => c === 'SQLITE_BUSY' || c === 'SQLITE_LOCKED' || c.startsWith('SQLITE_BUSY_'));
}

/**
 * True for a MySQL/MariaDB deadlock (ER_LOCK_DEADLOCK, 1213 — also what Galera reports for a
 * certification conflict) or a PostgreSQL deadlock (40P01) or serialization failure (40001):
 * the database rolled the transaction back and running it again may succeed.
 */
export function isTransactionConflict(err: unknown): boolean {
  return chain(err).some((e) => (typeof e.code === 'string' && TRANSACTION_CONFLICT_CODES.has(e.code)) || e.errno === 1213);
}

/** True when the error means the database server/file cannot be reached or used at all. */
export function isConnectionError(err: unknown): boolean {
  const codes = codesOf(err);
  if (codes.some((c) => CONNECTION_CODES.has(c) || c.startsWith('SQLITE_IOERR') || c.startsWith('SQLITE_CANTOPEN'))) {
    return true;
  }
  return messagesOf(err).some((m) => CONNECTION_MESSAGES.some((re) => re.test(m)));
}

function chain(err: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let cur: unknown = err;
  for (let depth = 0; depth < 5 && typeof cur === 'object' && cur !== null; depth++) {
    const rec = cur as Record<string, unknown>;
    out.push(rec);
    if (rec.driverError && typeof rec.driverError === 'object') out.push(rec.driverError as Record<string, unknown>);
    if (Array.isArray(rec.errors)) {
      for (const e of rec.errors) if (typeof e === 'object' && e !== null) out.push(e as Record<string, unknown>);
    }
    cur = rec.cause;
  }
  return out;
}

function codesOf(err: unknown): string[] {
  return chain(err).map((e) => e.code).filter((c): c is string => typeof c === 'string');
}

function messagesOf(err: unknown): string[] {
  return chain(err).map((e) => e.message).filter((m): m is string => typeof m === 'string');
}

/** Further attempts of a statement that failed on a dead pooled connection. */
const STALE_RETRIES = 3;
const READ = /^\s*(SELECT|SHOW|WITH)\b/i;

/** True for a statement that only reads (so it may run twice). */
export function isReadStatement(sql: string): boolean {
  return READ.test(sql);
}

/**
 * Runs `statement`, and again on a fresh connection (up to three more times, 5 ms apart, so the
 * pool can drop its other dead connections meanwhile) when it failed on a dead one and may safely
 * run twice: a read, or a write that provably never reached the server (`neverSent`). Retries
 * tell a stale pooled socket (server restart, KILL, wait_timeout) from an unreachable server.
 */
export async function retryOnStaleConnection<T>(sql: string, statement: () => Promise<T>, neverSent: (err: unknown) => boolean = () => false): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await statement();
    } catch (err) {
      if (attempt >= STALE_RETRIES || !isConnectionError(err) || !(isReadStatement(sql) || neverSent(err))) throw err;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
