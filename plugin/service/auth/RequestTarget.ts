import { redactTokensInPath } from '../../token/TokenFormat';
import { UNSAFE_CHARACTERS } from '../../validation/unsafeCharacters';
import { SERVLET_JSON_PATH } from '../../ui/servletPaths';

/**
 * The one canonical reading of a request target for token requests. Routing (express) works on
 * the raw path of the request target: no fragment, no query, literal segments compared as sent,
 * parameters percent-decoded. Rules that are checked against a path (restrictions, read-only exceptions, sudo's ban on
 * the token API) must see exactly that path, so every target that could be read two ways is
 * refused here instead of being "cleaned up": a fragment, an absolute form whose path does not
 * parse back to itself, encoded separators, escaped plain characters, dot segments, empty segments, path parameters,
 * backslashes, control characters, broken percent-encoding, over-long targets.
 */

/** Why a request target was refused (closed). */
export type TargetRefusal =
  | 'TOO_LONG'
  | 'FRAGMENT'
  | 'NOT_ORIGIN_FORM'
  | 'ABSOLUTE_FORM_MISMATCH'
  | 'CONTROL_CHARACTER'
  | 'BACKSLASH'
  | 'PATH_PARAMETER'
  | 'BAD_PERCENT_ENCODING'
  | 'ENCODED_SEPARATOR'
  | 'ENCODED_PLAIN_CHARACTER'
  | 'DOT_SEGMENT'
  | 'EMPTY_SEGMENT'
  | 'OUTSIDE_CONTEXT'
  | 'ROUTING_MISMATCH';

export type CanonicalTarget =
  | {
    readonly ok: true;
    /** Raw path (percent-encoded as sent), from the first `/`, context path included. */
    readonly rawPath: string;
    /** Percent-decoded path relative to the context path: what restrictions match against. */
    readonly path: string;
  }
  | { readonly ok: false; readonly reason: TargetRefusal };

/** Longest request target a token request may have (Tomcat's default header limit is 8 KiB). */
export const MAX_TARGET_LENGTH = 8192;

/** Characters that need no further look: unreserved plus the sub-delims routing treats literally. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~/!$&'()*+,=:@]*$/;
const DOT_OR_EMPTY = /\/\.{0,2}(?=\/|$)/;
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*(\/[^?#]*)?(\?[^#]*)?$/;
const ENCODED_SEPARATOR = /%(2f|5c)/i;
/**
 * Escapes of a letter, digit, '-', '.' or '_': no encoder writes them (`encodeURIComponent`,
 * Java's URLEncoder, Python's quote), and routing compares literal segments with the raw path, so
 * `my%73elf` is not the route `myself` although rules would read `myself` — the route a rule names
 * and the handler reached could differ. ('~', which Java's URLEncoder escapes, stays readable.)
 */
const ENCODED_PLAIN = /%(2d|2e|3[0-9]|4[1-9a-f]|5[0-9af]|6[1-9a-f]|7[0-9a])/i;
/** Percent-escapes of bytes below 0x20 and of DEL: never part of a path that routes anywhere sane. */
const ENCODED_CONTROL = /%(0[0-9a-f]|1[0-9a-f]|7f)/i;
const REFUSED: Record<TargetRefusal, CanonicalTarget> = Object.freeze(Object.fromEntries(
  (['TOO_LONG', 'FRAGMENT', 'NOT_ORIGIN_FORM', 'ABSOLUTE_FORM_MISMATCH', 'CONTROL_CHARACTER', 'BACKSLASH', 'PATH_PARAMETER',
    'BAD_PERCENT_ENCODING', 'ENCODED_SEPARATOR', 'ENCODED_PLAIN_CHARACTER', 'DOT_SEGMENT', 'EMPTY_SEGMENT', 'OUTSIDE_CONTEXT', 'ROUTING_MISMATCH'] as const)
    .map((r) => [r, Object.freeze({ ok: false, reason: r })]),
)) as Record<TargetRefusal, CanonicalTarget>;

/**
 * Reads a request target (`req.originalUrl`, as sent on the request line).
 * @param routedPath the path routing matched on (`req.baseUrl + req.path`), raw; it must be the
 *        path this function reads, or the request is refused (ROUTING_MISMATCH)
 * @param contextPath e.g. `/jira`, or '' (matched case-insensitively, as the host mounts it)
 */
export function canonicalTarget(target: string, routedPath: string, contextPath: string): CanonicalTarget {
  if (target.length > MAX_TARGET_LENGTH) return REFUSED.TOO_LONG;
  if (target.includes('#')) return REFUSED.FRAGMENT;
  let rawPath: string;
  if (target.charCodeAt(0) === 47 /* / */) {
    const q = target.indexOf('?');
    rawPath = q < 0 ? target : target.slice(0, q);
  } else {
    const absolute = readAbsoluteForm(target);
    if (absolute === null) return target.includes('://') ? REFUSED.ABSOLUTE_FORM_MISMATCH : REFUSED.NOT_ORIGIN_FORM;
    rawPath = absolute;
  }
  if (!PLAIN_PATH.test(rawPath)) {
    const refusal = oddCharacters(rawPath);
    if (refusal) return REFUSED[refusal];
  }
  let path = rawPath;
  let escapedPlain = false;
  if (rawPath.includes('%')) {
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return REFUSED.BAD_PERCENT_ENCODING;
    }
    escapedPlain = ENCODED_PLAIN.test(rawPath);
  }
  if (DOT_OR_EMPTY.test(path)) {
    // A trailing slash is an empty last segment that routing ignores; anything else is ambiguous.
    const inner = path.endsWith('/') ? path.slice(0, -1) : path;
    if (inner !== '' && DOT_OR_EMPTY.test(inner)) return /\/\.\.?(?=\/|$)/.test(inner) ? REFUSED.DOT_SEGMENT : REFUSED.EMPTY_SEGMENT;
  }
  // After the dot-segment check, so that `/%2e%2e/` is named for what it is.
  if (escapedPlain) return REFUSED.ENCODED_PLAIN_CHARACTER;
  // `rawPath + '/'`: a target naming a mount point itself (`/jira`) routes as `/jira/`.
  if (routedPath !== rawPath && routedPath !== `${rawPath}/`) return REFUSED.ROUTING_MISMATCH;
  if (contextPath) {
    const head = path.slice(0, contextPath.length);
    if (head.toLowerCase() !== contextPath.toLowerCase() || (path.length > contextPath.length && path[contextPath.length] !== '/')) {
      return REFUSED.OUTSIDE_CONTEXT;
    }
    path = path.length === contextPath.length ? '/' : path.slice(contextPath.length);
  }
  return { ok: true, rawPath, path };
}

/** The path of an absolute-form target when it reads back the same through the WHATWG parser; else null. */
function readAbsoluteForm(target: string): string | null {
  const m = ABSOLUTE.exec(target);
  if (!m) return null;
  const raw = m[1] ?? '/';
  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.pathname === raw ? raw : null;
}

function oddCharacters(rawPath: string): TargetRefusal | null {
  for (let i = 0; i < rawPath.length; i++) {
    const c = rawPath.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return 'CONTROL_CHARACTER';
    if (c === 0x5c /* \ */) return 'BACKSLASH';
    if (c === 0x3b /* ; */) return 'PATH_PARAMETER';
  }
  if (rawPath.includes('%')) {
    if (/%(?![0-9A-Fa-f]{2})/.test(rawPath)) return 'BAD_PERCENT_ENCODING';
    if (ENCODED_SEPARATOR.test(rawPath)) return 'ENCODED_SEPARATOR';
    if (ENCODED_CONTROL.test(rawPath)) return 'CONTROL_CHARACTER';
    if (/%3b/i.test(rawPath)) return 'PATH_PARAMETER';
  }
  return null;
}

/** True for a path (relative to the context path) under `/rest/`, compared as routing compares it (case-insensitively). */
export function isRestPath(path: string): boolean {
  return path.length >= 6 && path.slice(0, 6).toLowerCase() === '/rest/';
}

/**
 * True for a path where a password in Basic auth follows `passwordBasicAuthAllowed`: the REST API,
 * and the UI servlet's JSON endpoints, which answer the same directory data as a REST call (the
 * plugin's pages keep the host's login rules). Compared as routing compares it.
 */
export function isPasswordRulePath(path: string): boolean {
  if (isRestPath(path)) return true;
  const n = SERVLET_JSON_PATH.length;
  return path.slice(0, n).toLowerCase() === SERVLET_JSON_PATH && (path.length === n || path[n] === '/');
}

/** Longest path written to a log line or an audit event; longer ones are cut. */
const MAX_LOGGED_PATH = 1000;

/**
 * A request's path for log lines and audit events: its canonical path ({@link CanonicalTarget}'s
 * `path`, inside the context path: what restrictions match against), a token in it cut after its
 * public id, at most {@link MAX_LOGGED_PATH} characters; '' for a request that has none. Every
 * refusal and every audited use writes the path this way, wherever in the request it was decided.
 */
export function loggedPath(path: string | null): string {
  return path === null ? '' : clip(redactTokensInPath(path), MAX_LOGGED_PATH);
}

/** A character a reader of the log or the audit log must not get raw from a client (an escape sequence, a line break, a right-to-left override). */
const UNSAFE_TEXT = new RegExp(`[${UNSAFE_CHARACTERS}]`);
const UNSAFE_TEXT_ALL = new RegExp(UNSAFE_TEXT.source, 'g');

/**
 * Client-chosen text for log lines and audit events: each unsafe character written as `\uXXXX`
 * (as the host's log writes them), then cut to `max` characters, the cut marked with an ellipsis.
 */
export function clip(text: string, max: number): string {
  const safe = UNSAFE_TEXT.test(text) ? text.replace(UNSAFE_TEXT_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
  return safe.length <= max ? safe : `${safe.slice(0, max - 1)}…`;
}
