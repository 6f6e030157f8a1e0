/**
 * The deterministic compile cost of restriction patterns (see docs/restrictions.md, "Compile
 * budget"). RE2's program size alone misses where re2js spends its compile time: parsing and
 * factoring long alternations, copying Unicode tables for `\p{…}`, and — under `(?i)` — folding
 * explicit character-class ranges one code point at a time (`(?i)[b-\x{1E942}]` is 17 characters,
 * 3 instructions and 3 ms). So the cost of one pattern is
 *
 *   perPattern + perCharacter × length + perInstruction × program size
 *   + perUnicodeClass × `\p`/`\P` escapes (perFoldedUnicodeClass when `(?i)` may apply)
 *   + folded class code points ÷ foldedCodePointsPerUnit (when `(?i)` may apply)
 *
 * Everything but the program size is read from the source text before compiling
 * ({@link sourceCost}), so a pattern that would be expensive to compile is refused without
 * compiling it. One unit is about one microsecond of re2js compile time on the reference machine.
 */

export interface CompileCostWeights {
  readonly perPattern: number;
  readonly perCharacter: number;
  readonly perInstruction: number;
  readonly perUnicodeClass: number;
  readonly perFoldedUnicodeClass: number;
  readonly foldedCodePointsPerUnit: number;
}

/** Weights measured with re2js 2.10 (figures in docs/restrictions.md). */
export const COMPILE_COST_WEIGHTS: Readonly<CompileCostWeights> = Object.freeze({
  perPattern: 30,
  perCharacter: 2,
  perInstruction: 2,
  perUnicodeClass: 80,
  perFoldedUnicodeClass: 400,
  foldedCodePointsPerUnit: 12,
});

/** re2js folds class ranges between these code points one by one (Unicode.MIN_FOLD / MAX_FOLD). */
const MIN_FOLD = 0x41;
const MAX_FOLD = 0x1e943;
const MAX_RUNE = 0x10ffff;

/** A `(?flags)` or `(?flags:` group that may switch case folding on (`(?-i)` counts too: conservative). */
const FOLD_FLAG = /\(\?[A-Za-z-]*i/;
const PERL_CLASS = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = Object.freeze({ a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 });

interface SourceShape {
  unicodeClasses: number;
  foldedCodePoints: number;
}

/** The cost of `source` that can be known without compiling it (all terms but the program size). */
export function sourceCost(source: string, w: CompileCostWeights = COMPILE_COST_WEIGHTS): number {
  const fold = FOLD_FLAG.test(source);
  const shape = scan(source);
  return w.perPattern + w.perCharacter * source.length
    + shape.unicodeClasses * (fold ? w.perFoldedUnicodeClass : w.perUnicodeClass)
    + (fold ? Math.ceil(shape.foldedCodePoints / w.foldedCodePointsPerUnit) : 0);
}

/** The full cost of a compiled pattern. */
export function patternCost(source: string, programSize: number, w: CompileCostWeights = COMPILE_COST_WEIGHTS): number {
  return sourceCost(source, w) + w.perInstruction * programSize;
}

/**
 * Counts `\p`/`\P` escapes and the code points that explicit class ranges would fold, reading
 * the source the way re2js's parser does (escapes, `\Q…\E`, classes with `]` first, `[:name:]`).
 * Where re2js would stop with a syntax error, the scan stops too (nothing after it is compiled).
 */
function scan(s: string): SourceShape {
  const shape: SourceShape = { unicodeClasses: 0, foldedCodePoints: 0 };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === 'Q') {
        const end = s.indexOf('\\E', i + 2);
        i = end < 0 ? s.length : end + 2;
      } else if (n === 'p' || n === 'P') {
        shape.unicodeClasses++;
        i = skipUnicodeName(s, i + 2);
      } else {
        i += 2;
      }
    } else if (c === '[') {
      const end = scanClass(s, i, shape);
      if (end < 0) return shape;
      i = end;
    } else {
      i++;
    }
  }
  return shape;
}

/** Position after the name of `\p` / `\P` whose name starts at `i` (`L` or `{Greek}`). */
function skipUnicodeName(s: string, i: number): number {
  if (s[i] === '{') {
    const end = s.indexOf('}', i);
    return end < 0 ? s.length : end + 1;
  }
  return i + (s.codePointAt(i) !== undefined && s.codePointAt(i)! > 0xffff ? 2 : 1);
}

/** Scans the class opening at `open`; returns the position after it, or -1 where parsing stops. */
function scanClass(s: string, open: number, shape: SourceShape): number {
  let j = open + 1;
  if (s[j] === '^') j++;
  let first = true;
  while (j < s.length && (s[j] !== ']' || first)) {
    first = false;
    if (s.startsWith('[:', j)) {
      const end = s.indexOf(':]', j + 2);
      if (end >= 0) {
        j = end + 2;
        continue;
      }
    }
    if (s[j] === '\\' && (s[j + 1] === 'p' || s[j + 1] === 'P')) {
      shape.unicodeClasses++;
      j = skipUnicodeName(s, j + 2);
      continue;
    }
    if (s[j] === '\\' && PERL_CLASS.has(s[j + 1] ?? '')) {
      j += 2;
      continue;
    }
    const lo = classChar(s, j);
    if (lo === null) return -1;
    let hi = lo.rune;
    j = lo.next;
    if (s[j] === '-' && j + 1 < s.length && s[j + 1] !== ']') {
      const h = classChar(s, j + 1);
      if (h === null) return -1;
      hi = h.rune;
      j = h.next;
    }
    shape.foldedCodePoints += foldedWidth(lo.rune, hi);
  }
  return j < s.length ? j + 1 : -1;
}

/** How many code points re2js folds one by one for the range lo–hi (its shortcuts included). */
function foldedWidth(lo: number, hi: number): number {
  if (hi < lo || (lo <= MIN_FOLD && hi >= MAX_FOLD)) return 0;
  const from = Math.max(lo, MIN_FOLD);
  const to = Math.min(hi, MAX_FOLD);
  return to >= from ? to - from + 1 : 0;
}

/** One class character (literal or escape) at `j`, or null where re2js reports a syntax error. */
function classChar(s: string, j: number): { rune: number; next: number } | null {
  if (s[j] !== '\\') {
    const rune = s.codePointAt(j);
    if (rune === undefined) return null;
    return { rune, next: j + (rune > 0xffff ? 2 : 1) };
  }
  const c = s[j + 1];
  if (c === undefined) return null;
  if (c >= '0' && c <= '7') {
    if (c !== '0' && !(s[j + 2] >= '0' && s[j + 2] <= '7')) return null;
    let rune = Number(c);
    let k = j + 2;
    for (let n = 1; n < 3 && s[k] >= '0' && s[k] <= '7'; n++, k++) rune = rune * 8 + Number(s[k]);
    return { rune, next: k };
  }
  if (c === 'x') {
    if (s[j + 2] === '{') {
      const end = s.indexOf('}', j + 3);
      const hex = end < 0 ? '' : s.slice(j + 3, end);
      if (!/^[0-9A-Fa-f]{1,8}$/.test(hex) || parseInt(hex, 16) > MAX_RUNE) return null;
      return { rune: parseInt(hex, 16), next: end + 1 };
    }
    const hex = s.slice(j + 2, j + 4);
    return /^[0-9A-Fa-f]{2}$/.test(hex) ? { rune: parseInt(hex, 16), next: j + 4 } : null;
  }
  if (Object.hasOwn(SIMPLE_ESCAPES, c)) return { rune: SIMPLE_ESCAPES[c], next: j + 2 };
  const code = c.charCodeAt(0);
  return code < 0x80 && !/[0-9A-Za-z]/.test(c) ? { rune: code, next: j + 2 } : null;
}
