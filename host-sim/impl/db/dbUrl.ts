// Parsing of the host's `DB_URL` (`sqlite:<file>`, `mysql://user:pass@host:port/db` or
// `postgres://user:pass@host:port/db`).
import path from 'node:path';

export type Dialect = 'sqlite' | 'mysql' | 'postgres';

export type ParsedDbUrl =
  | { readonly dialect: 'sqlite'; readonly file: string; readonly redacted: string }
  | {
    readonly dialect: 'mysql' | 'postgres'; readonly host: string; readonly port: number; readonly user: string;
    readonly password: string; readonly database: string; readonly redacted: string;
  };

const SERVER_SCHEMES: ReadonlyArray<[RegExp, 'mysql' | 'postgres', number]> = [
  [/^(mysql|mariadb):\/\//, 'mysql', 3306],
  [/^(postgres|postgresql):\/\//, 'postgres', 5432],
];

/** Parses a DB URL; throws an Error naming the (password-free) URL when it is malformed. */
export function parseDbUrl(url: string): ParsedDbUrl {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new Error('DB_URL "sqlite:" names no file');
    return { dialect: 'sqlite', file: path.resolve(file), redacted: url };
  }
  const scheme = SERVER_SCHEMES.find(([re]) => re.test(url));
  if (scheme) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`DB_URL is not a valid URL: ${redactDbUrl(url)}`);
    }
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!database) throw new Error(`DB_URL names no database: ${redactDbUrl(url)}`);
    return {
      dialect: scheme[1],
      host: parsed.hostname || '127.0.0.1',
      port: Number(parsed.port || scheme[2]),
      user: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
      database,
      redacted: redactDbUrl(url),
    };
  }
  throw new Error(`DB_URL must start with "sqlite:", "mysql://" or "postgres://": ${redactDbUrl(url)}`);
}

/**
 * The URL with any password replaced by `***`, safe to log and to show (DB_URL, SMTP_URL). The
 * URL parser, and so the connection, takes the credentials up to the *last* `@` (`jira@dc:p@ss@db`
 * is the user `jira@dc` with the password `p@ss`), so everything from the first `:` after the
 * user name to the last `@` goes; a URL that is no URL loses more, never less. A `password`
 * query parameter goes too.
 */
export function redactDbUrl(url: string): string {
  return url
    .replace(/^([a-z0-9+.-]+:\/\/[^:/?#]*):.*@/is, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}
