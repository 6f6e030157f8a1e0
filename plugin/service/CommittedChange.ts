import type { Invalidation, InvalidationBus } from './InvalidationBus';

/**
 * Publishes the invalidation of a change that has committed, then records it (`record`: its
 * audit events, mails) whatever the publish did, and only then throws the publish's error.
 *
 * A publish that fails has still applied the invalidation on this node and keeps sending it to
 * the others until delivered (InvalidationBus), so the change stands: it must be on record as any
 * other. The caller still answers with the error (503 while the database is unreachable), so the
 * client learns that not every node knows of the change yet.
 */
export async function publishCommitted(bus: Pick<InvalidationBus, 'publish'>, invalidation: Invalidation, record: () => Promise<void>): Promise<void> {
  let failure: { readonly error: unknown } | null = null;
  try {
    await bus.publish(invalidation);
  } catch (error) {
    failure = { error };
  }
  await record();
  if (failure) throw failure.error;
}
