// The example plugin's composition root (named by `main` in atlassian-plugin.json): the host
// calls `activate` with the plugin's context, and gets one implementation per module key.
import type { ActivateFunction, JobRunner } from '../../host-sim/spi';
import { greetingResource } from './greetingResource';
import { GreetingStore } from './GreetingStore';

/** Greetings are kept for 30 days. */
export const GREETING_RETENTION_MILLIS = 30 * 24 * 3600 * 1000;

export const activate: ActivateFunction = async (context) => {
  const { services } = context;
  const log = context.logger.child({ module: 'HelloPlugin' });
  const store = new GreetingStore(services.activeObjects);

  const prune: JobRunner = async ({ startedAt }) => {
    const deleted = await store.deleteOlderThan(startedAt - GREETING_RETENTION_MILLIS);
    log.info('Old greetings deleted', { deleted });
  };

  return {
    modules: {
      'hello-rest': greetingResource(services, store),
      'greeting-prune-job': prune,
    },
    async deactivate() {
      log.debug('Hello plugin stopped');
    },
  };
};
