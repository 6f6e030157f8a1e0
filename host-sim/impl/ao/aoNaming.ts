// Active Objects table naming: `AO_` + last 6 hex digits (upper case) of MD5(namespace), then
// `_` + the entity name in upper snake case; at most 30 characters (Oracle's old limit, kept by AO).
import { createHash } from 'node:crypto';

export const AO_MAX_NAME_LENGTH = 30;

/** `AO_` + the last 6 hex digits of the MD5 of the `ao` module's namespace, upper case. */
export function aoPrefixForNamespace(namespace: string): string {
  return `AO_${createHash('md5').update(namespace, 'utf8').digest('hex').slice(-6).toUpperCase()}`;
}

/** `TokenUsage` → `TOKEN_USAGE`; `APIToken` → `API_TOKEN`; already upper-snake names stay. */
export function upperSnake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

/**
 * Physical table of an entity, e.g. (`AO_5D4005`, `Token`) → `AO_5D4005_TOKEN`. Names longer than
 * 30 characters are shortened the way AO does it: truncated, with a hash suffix that keeps them unique.
 */
export function aoTableName(prefix: string, entity: string): string {
  if (!/^AO_[0-9A-F]{6}$/.test(prefix)) throw new Error(`Invalid Active Objects prefix ${prefix}`);
  const snake = upperSnake(entity);
  if (!snake) throw new Error(`Invalid Active Objects entity name ${entity}`);
  const full = `${prefix}_${snake}`;
  if (full.length <= AO_MAX_NAME_LENGTH) return full;
  const hash = createHash('md5').update(full, 'utf8').digest('hex').slice(0, 4).toUpperCase();
  return `${full.slice(0, AO_MAX_NAME_LENGTH - hash.length - 1)}_${hash}`;
}
