// REST calls from the pages with the user's cookie session. Writes carry
// `X-Atlassian-Token: no-check` (the host's XSRF rule) and a JSON body.
import type { Translate } from '../shared/messageFormat';

/** The header of the plugin's WEBSUDO_REQUIRED answer (plugin/rest/WebSudoGate.ts). */
const WEBSUDO_HEADER = 'X-ApiTokenAuth-WebSudo';

/**
 * A failed call: HTTP status (0 = no answer), the API's message and its per-field errors;
 * `webSudoRequired` when an administrative call needs the password again (not an ended session).
 */
export class ApiCallError extends Error {
  constructor(readonly status: number, message: string, readonly fieldErrors: Readonly<Record<string, string>> = {}, readonly webSudoRequired = false) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/**
 * The message above a form after a refused save: when every field error sits next to its
 * field, a plain "correct the marked fields" instead of the API's generic text; otherwise the
 * API's message and the errors no field took.
 */
export function fieldsOnlyMessage(t: Translate, failure: ApiCallError, unmatched: readonly string[]): string {
  if (Object.keys(failure.fieldErrors).length > 0 && unmatched.length === 0) return t('common.fixFields');
  return [failure.message, ...unmatched].join(' ');
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A friendly text for a status without an API message. */
export function statusMessage(t: Translate, status: number): string {
  switch (status) {
    case 0: return t('error.network');
    case 401: return t('error.notLoggedIn');
    case 403: return t('error.forbidden');
    case 404: return t('error.notFound');
    case 409: return t('error.conflict');
    case 413: return t('error.tooLarge');
    case 429: return t('error.throttled');
    case 503: return t('error.unavailable');
    default: return t('error.status', status);
  }
}

function fieldErrorsOf(data: unknown): Record<string, string> {
  const errors = (data as { errors?: unknown } | null)?.errors;
  if (!errors || typeof errors !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(errors as Record<string, unknown>)) {
    out[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

function messageOf(data: unknown): string | undefined {
  const d = data as { errorMessage?: unknown; message?: unknown } | null;
  if (typeof d?.errorMessage === 'string' && d.errorMessage) return d.errorMessage;
  if (typeof d?.message === 'string' && d.message) return d.message;
  return undefined;
}

export class RestClient {
  /** `onWebSudoRequired` runs when an administrative call answers WEBSUDO_REQUIRED (the error is thrown as well). */
  constructor(private readonly t: Translate, private readonly onWebSudoRequired?: () => void) {}

  async call<T>(method: HttpMethod, url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-Atlassian-Token'] = 'no-check';
    const init: RequestInit = { method, credentials: 'same-origin', headers };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch {
      throw new ApiCallError(0, statusMessage(this.t, 0));
    }
    const text = await res.text();
    let data: unknown = null;
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!res.ok) {
      const webSudoRequired = res.status === 401 && res.headers.get(WEBSUDO_HEADER) === 'required';
      if (webSudoRequired) this.onWebSudoRequired?.();
      throw new ApiCallError(res.status, messageOf(data) ?? statusMessage(this.t, res.status), fieldErrorsOf(data), webSudoRequired);
    }
    return data as T;
  }

  get<T>(url: string): Promise<T> {
    return this.call<T>('GET', url);
  }
}

/** A query string from a map whose values may be arrays (repeated parameters); empty values are left out. */
export function query(params: Readonly<Record<string, string | number | undefined | ReadonlyArray<string | number>>>): string {
  const search = new URLSearchParams();
  for (const [name, raw] of Object.entries(params)) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const v of values) if (v !== undefined && v !== '') search.append(name, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
