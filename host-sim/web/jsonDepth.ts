// How deep a JSON body nests objects and arrays, measured without recursion, so that a few KB of
// `[[[[…` cannot exhaust the call stack of code that walks the parsed value (class-transformer,
// validators, copies). The host's body parser refuses deeper bodies for everyone (bodyParsing.ts).

/**
 * The deepest nesting of objects and arrays a JSON request body may have; the body itself is
 * level 1 (`{"a": [1]}` nests 2 levels). Real bodies nest a few levels (the host's own resources
 * accept 32, see readDto), class-transformer runs out of stack somewhere above 1,000.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * True when UTF-8 (or ASCII) JSON text opens more than `max` objects/arrays at once. One pass over
 * the bytes, counting `[`/`{` against `]`/`}` outside strings (a backslash escapes the next byte
 * in a string; UTF-8 continuation bytes are ≥ 0x80, so never taken for a quote or bracket).
 * Malformed text is not judged beyond this: the parser refuses it afterwards.
 */
export function jsonTextNestsDeeper(text: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      depth--;
    }
  }
  return false;
}

/**
 * True when a parsed JSON value nests objects/arrays deeper than `max` (the value itself is level
 * 1), walked with an explicit stack: for bodies whose text was not scanned (another charset, or
 * a plugin filter that parsed the body first), and for the host's own resources' stricter limit
 * (readDto).
 */
export function jsonValueNestsDeeper(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [object, number];
    if (depth > max) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
