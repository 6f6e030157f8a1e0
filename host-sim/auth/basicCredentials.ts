// Parsing of `Authorization: Basic` headers.

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

const MAX_HEADER = 8192;

/** Splits at the first colon (a password may contain colons); null when not valid Basic. */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | null {
  if (!header || header.length > MAX_HEADER) return null;
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function isBasicAuthorization(header: string | undefined): boolean {
  return header !== undefined && /^Basic\s/i.test(header);
}
