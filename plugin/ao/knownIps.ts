/** No IP known (shared: most credentials of a fresh token and every unparsable list). */
const NONE: readonly string[] = Object.freeze([]);

/**
 * The IPs a token row's KNOWN_IPS column lists (a JSON array of strings, most recent last), or
 * none when it is empty or unreadable: a damaged list makes IPs new again, never known.
 */
export function parseKnownIps(raw: string | null | undefined): readonly string[] {
  if (!raw) return NONE;
  try {
    const value: unknown = JSON.parse(raw);
    if (!Array.isArray(value)) return NONE;
    const ips = value.filter((ip): ip is string => typeof ip === 'string');
    return ips.length > 0 ? Object.freeze(ips) : NONE;
  } catch {
    return NONE;
  }
}
