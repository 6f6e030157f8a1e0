import type { JobRunner, Logger, PluginContext } from '../../host-sim/spi';
import { AoTokenMaintenanceStore } from '../ao/AoTokenMaintenanceStore';
import type { TokenMailer } from '../mail/TokenMailer';
import type { InvalidationBus } from '../service/InvalidationBus';
import { NewIpDetector } from '../service/NewIpDetector';
import type { SettingsService } from '../service/SettingsService';
import { ExpiryWarningJob } from './ExpiryWarningJob';
import { TokenPruner } from './TokenPruner';

/** Module keys of the jobs in atlassian-plugin.json. */
export const EXPIRY_WARNING_JOB = 'expiry-warning-job';
export const TOKEN_PRUNE_JOB = 'token-prune-job';
export const NEW_IP_ALERT_JOB = 'new-ip-alert-job';

export interface TokenMaintenanceDeps {
  readonly context: PluginContext;
  readonly settings: SettingsService;
  readonly bus: InvalidationBus;
  /** Flushes the last-access times of every node (before the unused-token rule); false when not sure it did. */
  readonly flushLastAccess: () => Promise<boolean>;
  /** The plugin's one mailer to token owners (expiry warnings, new-IP alerts). */
  readonly mailer: TokenMailer;
}

/**
 * The plugin's background work, wired in one place: expiry warnings, new-IP alerts and
 * pruning (jobs), the `user-deleted` listener, and the {@link NewIpDetector} the request
 * guard feeds. The composition root mounts {@link jobs} and calls {@link close} on deactivate.
 */
export class TokenMaintenance {
  readonly newIps: NewIpDetector;
  readonly expiryJob: ExpiryWarningJob;
  readonly pruner: TokenPruner;
  private readonly unsubscribe: () => void;
  private readonly logger: Logger;

  constructor(deps: TokenMaintenanceDeps) {
    const { context, settings, bus, mailer } = deps;
    const s = context.services;
    const log = (module: string) => context.logger.child({ module });
    this.logger = log('TokenMaintenance');
    const store = new AoTokenMaintenanceStore(s.activeObjects);
    this.newIps = new NewIpDetector({ store, settings, mailer, clock: s.clock, logger: log('NewIpDetector') });
    this.expiryJob = new ExpiryWarningJob({ store, settings, mailer, clock: s.clock, logger: log('ExpiryWarningJob') });
    this.pruner = new TokenPruner({
      store, users: s.userManager, settings, bus, audit: s.auditService, clock: s.clock, logger: log('TokenPruner'),
      beforeUnusedRule: deps.flushLastAccess,
    });
    this.unsubscribe = s.eventPublisher.subscribe('user-deleted', async (event) => {
      try {
        await this.pruner.pruneUser(event.userKey);
      } catch (err) {
        // The daily prune run catches what an event could not do.
        this.logger.warn('Could not prune the tokens of a deleted user', { userKey: event.userKey, error: String(err) });
      }
    });
  }

  /** Job implementations by module key. */
  jobs(): Record<string, JobRunner> {
    return {
      [EXPIRY_WARNING_JOB]: async () => { await this.expiryJob.run(); },
      [TOKEN_PRUNE_JOB]: async () => { await this.pruner.run(); },
      [NEW_IP_ALERT_JOB]: async () => { await this.newIps.drain(); },
    };
  }

  /** Stops listening and drains the pending new-IP observations. */
  async close(): Promise<void> {
    this.unsubscribe();
    await this.newIps.drain();
  }
}
