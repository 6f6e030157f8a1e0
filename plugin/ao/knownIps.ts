/** An IP whose JSON form is itself in quotes (hex digits, dots, colons: IPv4, IPv6, IPv4-mapped). */
const PLAIN_IP = /^[0-9A-Fa-f:.]{1,45}$/;
const OPEN_LIST = 0x5b; // [
const CLOSE_LIST = 0x5d; // ]
const COMMA = 0x2c;

/**
 * The IPs a token row's KNOWN_IPS column lists (a JSON array of strings, most recent last), or
 * none when it is empty or unreadable: a damaged list makes IPs new again, never known.
 */
export function parseKnownIps(raw: string | null | undefined): string[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((ip): ip is string => typeof ip === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Whether a KNOWN_IPS list, as the plugin writes it (`JSON.stringify` of an array of strings),
 * names `ip` — without parsing it, so the request path allocates nothing per token. Exact for
 * plain IPs: the quoted IP must stand between `[` or `,` and `,` or `]`, and inside a JSON string
 * every quote is escaped, so such a match is a whole element. Any other IP text (a zone id, a
 * forwarded value that is no IP) and any list written another way answer false: the IP is then
 * checked against the parsed list later (the new-IP drain), never taken as known by mistake.
 */
export function knownIpsInclude(list: string | null, ip: string): boolean {
  if (list === null || !PLAIN_IP.test(ip)) return false;
  const needle = `"${ip}"`;
  for (let at = list.indexOf(needle); at !== -1; at = list.indexOf(needle, at + 1)) {
    const before = list.charCodeAt(at - 1);
    const after = list.charCodeAt(at + needle.length);
    if ((before === OPEN_LIST || before === COMMA) && (after === CLOSE_LIST || after === COMMA)) return true;
  }
  return false;
}
