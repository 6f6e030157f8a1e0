// Java MessageFormat's subset used by Atlassian bundles: `{0}` placeholders, `'…'` quoted
// literal text and `''` for one apostrophe. Unknown or missing arguments stay as written.

export function formatMessage(pattern: string, args: ReadonlyArray<string | number>): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") { out += "'"; i++; continue; }
      quoted = !quoted;
      continue;
    }
    if (!quoted && c === '{') {
      const end = pattern.indexOf('}', i);
      const inner = end > i ? pattern.slice(i + 1, end) : '';
      const index = /^\s*(\d+)\s*(,.*)?$/.exec(inner);
      if (index) {
        const n = Number(index[1]);
        out += n < args.length ? String(args[n]) : pattern.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}
