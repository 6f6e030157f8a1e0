// Classifies driver errors: "the database cannot be reached" versus everything else.

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT', 'PROTOCOL_ENQUEUE_HANDSHAKE_TWICE', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN',
  'ER_BAD_DB_ERROR', 'ER_CONNECTION_KILLED', 'CR_CONNECTION_ERROR', 'CR_SERVER_GONE_ERROR',
  'CR_SERVER_LOST', 'POOL_CLOSED',
  'SQLITE_CANTOPEN', 'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_FULL',
]);

const CONNECTION_MESSAGES = [
  /pool is closed/i,
  /connection is in closed state/i,
  /database connection is not open/i,
  /connection lost/i,
  /connect etimedout/i,
  /connection.*(closed|terminated)/i,
];

/** Error codes of lock contention that a caller may retry (not an outage). */
export function isBusyError(err: unknown): boolean {
  return codesOf(err).some((c) => c === 'SQLITE_BUSY' || c === 'SQLITE_LOCKED' || c.startsWith('SQLITE_BUSY_'));
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
