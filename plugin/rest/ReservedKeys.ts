/**
 * JSON keys that name a JavaScript object's prototype machinery. No field of the plugin's REST
 * API has such a name, and code that copies or merges user JSON could reach Object.prototype
 * through them, so a body that contains one anywhere is refused as a whole.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Dotted path of a key under its parent: `a.b`, `a[0]`, and the bare key at the top level. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * The paths of the reserved keys anywhere in a parsed JSON value (depth first), at most `max`
 * of them. Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function reservedKeyPaths(value: unknown, max: number): string[] {
  const found: string[] = [];
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (pending.length > 0 && found.length < max) {
    const node = pending.pop() as { value: unknown; path: string };
    if (typeof node.value !== 'object' || node.value === null) continue;
    const children: Array<{ value: unknown; path: string }> = [];
    if (Array.isArray(node.value)) {
      node.value.forEach((item, index) => children.push({ value: item, path: childPath(node.path, index) }));
    } else {
      for (const key of Object.keys(node.value)) {
        const path = childPath(node.path, key);
        if (RESERVED_KEYS.has(key)) {
          found.push(path);
          if (found.length >= max) break;
          continue;
        }
        children.push({ value: (node.value as Record<string, unknown>)[key], path });
      }
    }
    // Reversed onto the stack, so that siblings are visited in document order.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return found;
}
