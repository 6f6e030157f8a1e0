// Shared set-up for the plugin's unit tests: an app with users of every role.
import type { HostUser } from '../../../../host-sim/spi';
import { API, basic, startPluginApp, type PluginApp } from './pluginApp';
import type { PluginOptions } from '../../../../plugin/PluginOptions';

export interface Roles {
  readonly app: PluginApp;
  readonly admin: HostUser;
  readonly alice: HostUser;
  readonly bob: HostUser;
  readonly manager: HostUser;
}

/** admin (sysadmin), alice and bob (users), manager (in the on-behalf group `token-managers`). */
export async function startWithRoles(options: PluginOptions = {}): Promise<Roles> {
  const app = await startPluginApp(options);
  const admin = app.host.users.addUser({ name: 'admin', key: 'admin', password: 'admin', sysadmin: true });
  const alice = app.host.users.addUser({ name: 'alice', password: 'alice-pw', email: 'alice@example.com' });
  const bob = app.host.users.addUser({ name: 'bob', password: 'bob-pw', email: 'bob@example.com' });
  const manager = app.host.users.addUser({ name: 'manager', password: 'manager-pw', groups: ['token-managers'] });
  await app.host.settings.put('settings.createOnBehalfGroups', JSON.stringify(['token-managers']));
  return { app, admin, alice, bob, manager };
}

export const PASSWORDS: Record<string, string> = { admin: 'admin', alice: 'alice-pw', bob: 'bob-pw', manager: 'manager-pw' };

export function pw(name: string): string {
  return basic(name, PASSWORDS[name]);
}

/** Creates a token through the REST API with the user's password; returns the create response. */
export async function createToken(app: PluginApp, name: string, body: Record<string, unknown> = {}): Promise<{ id: number; plainTextToken: string; [k: string]: unknown }> {
  const res = await app.request('POST', `${API}/user/token`, { auth: pw(name), body });
  if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body as { id: number; plainTextToken: string };
}
