/**
 * A small lexical scanner over RE2 pattern text. It knows just enough regex syntax (escapes,
 * `\Q…\E` quoting, character classes including `[]…]`, `[^]…]` and `[[:alpha:]]`) to tell a
 * bracket that belongs to the regex from one that belongs to the surrounding rule syntax.
 * The text-form parser, the validator and the formatter all use it, which is what makes the
 * text form round-trip.
 */

/** Position just after the escape or quoted run starting at `i` (which holds a backslash). */
function skipEscape(text: string, i: number): number {
  if (text[i + 1] === 'Q') {
    const end = text.indexOf('\\E', i + 2);
    return end < 0 ? text.length : end + 2;
  }
  return Math.min(i + 2, text.length);
}

/**
 * Position just after the character class opening at `i`, or -1 when it is never closed.
 * Within a class, `]` right after `[` or `[^` is a literal, `\x` is an escape and `[:name:]`
 * is a POSIX class.
 */
export function skipCharClass(text: string, i: number): number {
  let j = i + 1;
  if (text[j] === '^') j++;
  if (text[j] === ']') j++;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') {
      j = Math.min(j + 2, text.length);
    } else if (c === '[' && text[j + 1] === ':') {
      const end = text.indexOf(':]', j + 2);
      j = end < 0 ? j + 1 : end + 2;
    } else if (c === ']') {
      return j + 1;
    } else {
      j++;
    }
  }
  return -1;
}

/**
 * Scans `text` from `start` as regex source and returns the index of the first top-level
 * character (outside escapes, quotes and classes) for which `stop` returns true, or -1.
 * An unclosed class runs to the end of the text.
 */
export function findTopLevel(text: string, start: number, stop: (text: string, index: number) => boolean): number {
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (stop(text, i)) return i;
    if (c === '\\') {
      i = skipEscape(text, i);
    } else if (c === '[') {
      const end = skipCharClass(text, i);
      if (end < 0) return -1;
      i = end;
    } else {
      i++;
    }
  }
  return -1;
}

const UNSUPPORTED_GROUPS = ['(?=', '(?!', '(?<=', '(?<!', '(?>', '(?(', '(?R', '(?|', '(?&', '(?P=', '(?P>', '(?+', '(?-1', '(?0', '(?1'];

/**
 * Names the first construct RE2 deliberately lacks (backreference, lookaround, atomic group,
 * possessive quantifier, recursion, conditional), or null. Only consulted after RE2 has
 * rejected the pattern, to tell "unsupported" from plain "invalid".
 */
export function findUnsupportedConstruct(pattern: string): string | null {
  let found: string | null = null;
  findTopLevel(pattern, 0, (text, i) => {
    const c = text[i];
    if (c === '\\') {
      const n = text[i + 1] ?? '';
      if (/[1-9]/.test(n)) found = 'backreference';
      else if (n === 'k' || n === 'g') found = 'backreference';
      return found !== null;
    }
    if (c === '(') {
      const group = UNSUPPORTED_GROUPS.find((g) => text.startsWith(g, i));
      if (group) found = group.startsWith('(?<') || group === '(?=' || group === '(?!' ? 'lookaround' : 'group ' + group;
      return found !== null;
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && text[i + 1] === '+') {
      found = 'possessive quantifier';
      return true;
    }
    return false;
  });
  return found;
}
