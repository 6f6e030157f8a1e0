// What Active Objects does to a plugin's SQL fragments before they reach the database. On
// PostgreSQL, AO creates tables and columns with quoted upper-case names ("AO_5D4005_TOKEN".
// "PUBLIC_ID"), which an unquoted name in SQL does not reach (PostgreSQL folds it to lower case).
// Like AO's DatabaseProvider.processWhereClause/processOrderClause, the host quotes:
// - in `where`, a bare name directly before a comparison (=, <>, !=, <, >, <=, >=, [NOT] LIKE,
//   [NOT] IN, IS, BETWEEN), optionally `table.`-qualified;
// - in `order`, each `NAME [ASC|DESC]` item;
// - selected columns and the columns of inserts and updates.
// Nothing else: a name inside a function call (`LOWER(DESCRIPTION) LIKE ?`) or arithmetic stays
// as written and fails on PostgreSQL exactly as it does under real Active Objects; the plugin
// must quote such a name itself with ActiveObjects.quote.

const KEYWORDS = new Set([
  'AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'LIKE', 'BETWEEN', 'ESCAPE', 'TRUE', 'FALSE', 'EXISTS',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'ALL', 'ANY', 'SOME',
]);

// `(?:qualifier.)?name` directly followed by a comparison operator.
const NAME_BEFORE_COMPARISON = /^(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)(?=\s*(?:=|<>|!=|<=|>=|<|>)|\s+(?:NOT\s+)?(?:LIKE|IN|BETWEEN)\b|\s+IS\b)/i;
const ORDER_ITEM = /^(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)(\s+(?:ASC|DESC))?(\s+NULLS\s+(?:FIRST|LAST))?$/i;

/** `"NAME"` (with `"` doubled), PostgreSQL's and standard SQL's quoted identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quotes the names that stand directly before a comparison operator, outside literals and quoted names. */
export function processWhereClause(where: string, quote: (name: string) => string = quoteIdentifier): string {
  let out = '';
  let i = 0;
  while (i < where.length) {
    const c = where[i];
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(where, i);
      out += where.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    const startsWord = /[A-Za-z_]/.test(c) && (i === 0 || !/[A-Za-z0-9_$."]/.test(where[i - 1]));
    if (startsWord) {
      const m = NAME_BEFORE_COMPARISON.exec(where.slice(i));
      if (m && !KEYWORDS.has(m[2].toUpperCase())) {
        out += (m[1] ? `${quote(m[1])}.` : '') + quote(m[2]);
        i += m[0].length;
        continue;
      }
      const word = /^[A-Za-z0-9_$]+/.exec(where.slice(i))![0];
      out += word;
      i += word.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Quotes each `NAME [ASC|DESC]` item of an ORDER BY list; other items stay as written. */
export function processOrderClause(order: string, quote: (name: string) => string = quoteIdentifier): string {
  return order.split(',').map((item) => {
    const trimmed = item.trim();
    const m = ORDER_ITEM.exec(trimmed);
    if (!m || KEYWORDS.has(m[2].toUpperCase())) return trimmed;
    return `${m[1] ? `${quote(m[1])}.` : ''}${quote(m[2])}${m[3] ?? ''}${m[4] ?? ''}`;
  }).join(', ');
}

function closingQuote(sql: string, start: number): number {
  const quote = sql[start];
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] !== quote) continue;
    if (sql[i + 1] === quote) { i++; continue; }
    return i;
  }
  return sql.length - 1;
}
