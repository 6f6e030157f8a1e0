// CSV as the export writes it, read back for assertions.

/**
 * Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes and line
 * breaks). `separator` ';' reads the file as a spreadsheet in a locale whose list separator is
 * `;` does: a quote is special only at the start of a field.
 */
export function parseCsv(text: string, separator: ',' | ';' = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"' && (separator === ',' || field === '')) quoted = true;
    else if (c === separator) { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { /* CRLF: the \n ends the row */ } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}
