// Fixtures of the Token Manager suites (find, bulk revoke, sort and export): tokens created
// through the REST API, every matching token read page by page, a token put to use.
import { expect } from 'chai';
import type { Page, Request } from 'playwright-core';
import type { Product } from '../../../../host-sim/spi';
import type { TestHost } from '../../../support/hostServer';
import { API, managerReady } from './browser';

export interface CreatedToken {
  readonly id: number;
  readonly plainTextToken: string;
  readonly description: string;
}

/** Creates a token through `POST /user/token` as the holder of `bearer`. */
export async function createToken(host: TestHost, bearer: string, body: Record<string, unknown>): Promise<CreatedToken> {
  const res = await host.request(`${API}/user/token`, { method: 'POST', bearer, body });
  expect(res.status, res.text).to.equal(200);
  return { id: res.json.id, plainTextToken: res.json.plainTextToken, description: res.json.tokenDescription };
}

/** An unrestricted token of `admin` for the suite's REST calls. */
export async function adminBearer(host: TestHost): Promise<string> {
  const res = await host.request(`${API}/user/token`, { method: 'POST', auth: ['admin', 'admin'], body: { tokenDescription: 'Suite bearer', tokenValidityTimeInMonths: 12 } });
  expect(res.status, res.text).to.equal(200);
  return res.json.plainTextToken;
}

export interface ListedItem {
  readonly id: number;
  readonly description: string;
  readonly tokenForUserKey: string;
  readonly validUntil: number;
  readonly created: number;
  readonly lastAccessed: number;
  readonly lastAccessedFromIp: string | null;
  readonly restrictionsText: string | null;
}

/** One page of `tokensByFilter` (the query string without `?`). */
export async function filterPage(host: TestHost, bearer: string, queryString: string): Promise<{ content: ListedItem[]; total: number; totalPages: number }> {
  const res = await host.request(`${API}/user/tokensByFilter?${queryString}`, { bearer });
  expect(res.status, res.text).to.equal(200);
  return res.json;
}

/** Every token `tokensByFilter` matches (the query string without page and limit), in its order. */
export async function allMatching(host: TestHost, bearer: string, queryString: string): Promise<ListedItem[]> {
  const out: ListedItem[] = [];
  for (let page = 0; ; page++) {
    const res = await filterPage(host, bearer, `${queryString}${queryString ? '&' : ''}page=${page}&limit=50`);
    out.push(...res.content);
    if (page + 1 >= res.totalPages) return out;
  }
}

/** A REST call authenticated by `user` and the token (so that it gets a last use and an IP); returns the status. */
export async function useToken(host: TestHost, product: Product, user: string, token: string): Promise<number> {
  const path = product === 'jira' ? '/rest/api/2/myself' : '/rest/api/user/current';
  return (await host.request(path, { auth: [user, token] })).status;
}

/** The ids of the Token Manager's rows, top to bottom. */
export function rowIds(page: Page): Promise<number[]> {
  return page.locator('[data-role=tokens] tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.tokenId)));
}

/** Runs `action`, waits for the list to show the answer of the `tokensByFilter` call it caused, and returns that call's URL. */
export async function afterReload(page: Page, action: () => Promise<void>): Promise<URL> {
  const response = page.waitForResponse((r) => r.url().includes('/user/tokensByFilter') && !r.url().includes('format=csv'));
  await action();
  const url = new URL((await response).url());
  await managerReady(page);
  return url;
}

/** Records every request the page sends (URL and body), to check where a secret went. */
export function recordRequests(page: Page): { readonly requests: Array<{ url: string; body: string | null }>; stop(): void } {
  const requests: Array<{ url: string; body: string | null }> = [];
  const onRequest = (req: Request): void => { requests.push({ url: req.url(), body: req.postData() }); };
  page.on('request', onRequest);
  return { requests, stop: () => page.off('request', onRequest) };
}
