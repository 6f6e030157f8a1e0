import type { Response } from 'express';
import type { Token } from '../ao/Token';
import type { LastAccessRecorder } from '../service/LastAccessRecorder';
import { lastAccess } from './TokenJson';

/** The columns of the export, in order (docs/api.md). Never a secret, salt, hash or public id. */
export const CSV_COLUMNS = ['id', 'userKey', 'userName', 'description', 'created', 'createdBy', 'validUntil', 'lastAccessed', 'lastIp', 'scope', 'restricted'] as const;

const NEEDS_QUOTES = /[",\r\n]/;
/**
 * Where a spreadsheet cell would start with a formula (OWASP "CSV injection"): at the start of
 * the field, and after every `;` — the list separator of German and many other locales, by
 * which a spreadsheet there splits the file, quotes or not — also behind spaces or quotes.
 * A `'` goes there, so the cell is text.
 */
const FORMULA_CELL_START = /(^|;)(?=[\s"]*[=+\-@\t\r])/g;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; formulas defused. */
export function csvField(value: string): string {
  const safe = value.replace(FORMULA_CELL_START, "$1'");
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function time(ms: number): string {
  return ms > 0 ? new Date(ms).toISOString() : '';
}

/** One token as a CSV line (CRLF-terminated); `userName` '' when the owner is unknown or user-less. */
export function csvLine(token: Token, userName: string, recorder: LastAccessRecorder): string {
  const access = lastAccess(token, recorder);
  return `${[
    String(token.id), csvField(token.userKey ?? ''), csvField(userName), csvField(token.description), time(token.created),
    csvField(token.createdBy), time(token.validUntil), time(access.at), csvField(access.ip ?? ''), String(token.scope),
    String(token.restrictions !== null),
  ].join(',')}\r\n`;
}

/** Resolves when the client has taken what was written, or has gone away. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams `chunks` as CSV: the header line, then each chunk written as one piece, waiting for the
 * client to take it (backpressure) before the next chunk is read, so memory stays flat however
 * many rows there are. Stops when the client goes away. `nameOf` gives an owner's user name.
 */
export async function streamCsv(res: Response, chunks: AsyncIterable<readonly Token[]>, nameOf: (userKey: string) => Promise<string>,
  recorder: LastAccessRecorder, fileDate: string): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="api-tokens-${fileDate}.csv"`);
  res.setHeader('Cache-Control', 'no-store');
  res.write(`${CSV_COLUMNS.join(',')}\r\n`);
  for await (const chunk of chunks) {
    if (res.destroyed) return;
    let text = '';
    for (const token of chunk) text += csvLine(token, token.userKey === null ? '' : await nameOf(token.userKey), recorder);
    if (!res.write(text)) await drainedOrClosed(res);
  }
  res.end();
}
