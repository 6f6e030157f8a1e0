/**
 * Helpers that turn parts of a request into the strings the rule patterns are matched against.
 */

/**
 * The text of the JSON node at a dotted path (`fields.project.key`, `items.0.name`), or
 * undefined when a step is missing or the node is an object or array. Strings are used as
 * they are; numbers, booleans and null as their JSON text (`42`, `false`, `null`). Only own
 * properties are followed, so `__proto__` or `constructor` never reach the prototype.
 */
export function jsonNodeText(body: unknown, path: readonly string[]): string | undefined {
  let current: unknown = body;
  for (const step of path) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(step)) return undefined;
      const i = Number(step);
      if (i >= current.length) return undefined;
      current = current[i];
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.prototype.hasOwnProperty.call(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    } else {
      return undefined;
    }
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean' || current === null) return JSON.stringify(current);
  return undefined;
}

/** The values of a query parameter or header as a list; empty when absent. */
export function valuesOf(value: string | string[] | undefined): readonly unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** An own property of a query or header map (never one inherited through the prototype chain). */
export function ownValue(map: Record<string, string | string[] | undefined>, key: string): string | string[] | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * A header by name, whatever case the host used for the keys: own properties only. When the
 * host gives a repeated header as a list, every value must match (see `valuesOf`).
 */
export function headerValue(headers: Record<string, string | string[] | undefined>, lowerName: string): string | string[] | undefined {
  const direct = ownValue(headers, lowerName);
  if (direct !== undefined) return direct;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === lowerName) return headers[key];
  }
  return undefined;
}

/**
 * True when the path can be trusted for URL rules. The path is already percent-decoded (the
 * filter refuses targets with encoded separators, dot segments, backslashes or control
 * characters before restrictions run); this is the engine's own fail-closed check on top: no
 * `.`/`..` segments (also followed by a `;param`, which servlet containers strip), no backslash,
 * and no escape of a dot, slash or backslash left after decoding (a double-encoded `%252e%252e`
 * that a proxy could decode once more). Otherwise a rule such as `.*\/issue/JRA-.*` could admit
 * `/rest/api/2/issue/JRA-1/../../user` after a container or proxy normalises it.
 */
export function isCanonicalPath(path: string): boolean {
  if (path.includes('\\') || /%(2f|5c)/i.test(path)) return false;
  for (const segment of path.split('/')) {
    const bare = segment.split(';')[0].replace(/%2e/gi, '.');
    if (bare === '.' || bare === '..') return false;
  }
  return true;
}
