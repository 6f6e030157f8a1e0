// Shared set-up of the maintenance unit tests: SPI fakes, the real stores on the fake
// (in-memory SQLite) Active Objects, and a helper that inserts tokens directly.
import { randomBytes } from 'node:crypto';
import { AoTokenMaintenanceStore } from '../../../plugin/ao/AoTokenMaintenanceStore';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import type { Token } from '../../../plugin/ao/Token';
import { TokenMaintenance } from '../../../plugin/jobs/TokenMaintenance';
import { TokenMailComposer } from '../../../plugin/mail/TokenMailComposer';
import { TokenMailer } from '../../../plugin/mail/TokenMailer';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { DefaultSettingsService } from '../../../plugin/service/SettingsService';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

export const DAY = 24 * 60 * 60 * 1000;

export interface MaintenanceFixture {
  readonly host: FakeHost;
  readonly tokens: AoTokenStore;
  readonly maintenanceStore: AoTokenMaintenanceStore;
  readonly bus: InvalidationBus;
  readonly settings: DefaultSettingsService;
  readonly maintenance: TokenMaintenance;
  /** Inserts a token for `userKey` created now and valid for `validForMs`. */
  insert(userKey: string | null, validForMs: number, description?: string): Promise<Token>;
  /** Another node of the same fake cluster (own caches, same database). */
  node(nodeId: string): MaintenanceFixture;
  close(): Promise<void>;
}

/** How often the pruner asked for last-access times to be written, and what the next ask answers. */
interface Flushed {
  count: number;
  stored: boolean;
}

let counter = 0;

function build(host: FakeHost, flushed: Flushed): MaintenanceFixture {
  const bus = new InvalidationBus(host.messaging, host.logger);
  const settings = new DefaultSettingsService(host.settings, host.audit, bus, host.logger, host.permissions);
  const tokens = new AoTokenStore(host.ao);
  const maintenance = new TokenMaintenance({
    context: host.context, settings, bus, flushLastAccess: async () => { flushed.count++; return flushed.stored; },
    mailer: new TokenMailer(host.context.services.userManager, host.context.services.mailService,
      new TokenMailComposer(host.context.services.i18nResolver, host.context.product, host.context.baseUrl), host.logger),
  });
  const fixture: MaintenanceFixture = {
    host, tokens, maintenanceStore: new AoTokenMaintenanceStore(host.ao), bus, settings, maintenance,
    async insert(userKey, validForMs, description) {
      const now = host.clock.now();
      counter++;
      const result = await tokens.insert({
        publicId: `pub${counter}${randomBytes(6).toString('hex')}`, stringId: `asp_${counter}${randomBytes(6).toString('hex')}`,
        userKey, description: description ?? `Token ${counter}`, created: now, createdBy: userKey ?? 'admin',
        validUntil: now + validForMs, scope: 2, salt: randomBytes(16), hash: randomBytes(32), restrictions: null,
      }, 1000);
      if (!result.ok) throw new Error('insert failed');
      return result.token;
    },
    node: (nodeId) => build(host.addNode(nodeId), flushed),
    async close() {
      await maintenance.close();
      settings.close();
      bus.close();
    },
  };
  return fixture;
}

export async function startMaintenance(): Promise<MaintenanceFixture & { flushed: Flushed }> {
  const host = await createFakeHost();
  const flushed: Flushed = { count: 0, stored: true };
  const fixture = build(host, flushed);
  const close = fixture.close;
  return { ...fixture, flushed, close: async () => { await close(); await host.close(); } };
}
