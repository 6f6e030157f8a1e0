import type { Product } from '../../host-sim/spi';
import type { AuthSchemes } from '../service/Settings';

/** One ready-to-run call for a token (ids as in the web UI: `curl-basic`, `js-basic`, `curl-bearer`, `js-bearer`). */
export interface CodeSnippet {
  readonly id: 'curl-basic' | 'js-basic' | 'curl-bearer' | 'js-bearer';
  readonly scheme: 'basic' | 'bearer';
  readonly language: 'curl' | 'javascript';
  readonly code: string;
}

/** What a snippet is built from. Without `plainToken` the placeholder is used. */
export interface SnippetInput {
  readonly product: Product;
  /** Absolute base URL incl. context path, no trailing slash. */
  readonly baseUrl: string;
  readonly authSchemes: AuthSchemes;
  /** The Basic user name; null for a user-less token (a placeholder is used). */
  readonly userName: string | null;
  /** Only at create and rotate: the one answer that may carry the plain token. */
  readonly plainToken?: string;
  /** A user-less token authenticates with Basic only. */
  readonly userless: boolean;
}

export const TOKEN_PLACEHOLDER = '<your-token>';
export const USER_PLACEHOLDER = '<username>';

/** POSIX shell single quoting: the value is taken literally by sh, bash and zsh. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A JavaScript string literal (JSON string syntax is valid JavaScript). */
function jsString(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A read-only endpoint every user may call, so the snippet works as it is. */
export function snippetPath(product: Product): string {
  return product === 'confluence' ? '/rest/api/user/current' : '/rest/api/2/myself';
}

/**
 * `curl` and `fetch` calls for a token, one pair per scheme the `authSchemes` setting allows
 * (Basic only for a user-less token). The plain token appears only when given.
 */
export function buildSnippets(input: SnippetInput): CodeSnippet[] {
  const url = input.baseUrl.replace(/\/+$/, '') + snippetPath(input.product);
  const token = input.plainToken ?? TOKEN_PLACEHOLDER;
  const user = input.userName ?? USER_PLACEHOLDER;
  const out: CodeSnippet[] = [];
  if (input.authSchemes === 'basic' || input.authSchemes === 'both') {
    const credentials = `${user}:${token}`;
    out.push({ id: 'curl-basic', scheme: 'basic', language: 'curl', code: `curl -s -u ${shellQuote(credentials)} -H 'Accept: application/json' ${shellQuote(url)}` });
    out.push({
      id: 'js-basic', scheme: 'basic', language: 'javascript',
      code: `const credentials = btoa(String.fromCharCode(...new TextEncoder().encode(${jsString(credentials)})));\n`
        + `const response = await fetch(${jsString(url)}, {\n`
        + `  headers: { Authorization: 'Basic ' + credentials, Accept: 'application/json' },\n`
        + `});\nconsole.log(await response.json());`,
    });
  }
  if (!input.userless && (input.authSchemes === 'bearer' || input.authSchemes === 'both')) {
    out.push({ id: 'curl-bearer', scheme: 'bearer', language: 'curl', code: `curl -s -H ${shellQuote(`Authorization: Bearer ${token}`)} -H 'Accept: application/json' ${shellQuote(url)}` });
    out.push({
      id: 'js-bearer', scheme: 'bearer', language: 'javascript',
      code: `const response = await fetch(${jsString(url)}, {\n`
        + `  headers: { Authorization: ${jsString(`Bearer ${token}`)}, Accept: 'application/json' },\n`
        + `});\nconsole.log(await response.json());`,
    });
  }
  return out;
}
