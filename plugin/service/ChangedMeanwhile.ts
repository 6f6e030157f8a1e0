import { ApiError } from '../errors/ApiError';

/**
 * How many times a change of a token is checked and tried before 409 TOKEN_CHANGED_CONCURRENTLY:
 * each attempt reads the token afresh, so only a token changed again during every attempt fails.
 */
export const MAX_CHANGE_ATTEMPTS = 3;

/**
 * A write found the token's version changed since the attempt read it (the store wrote nothing).
 * Never leaves the token service: {@link retryWhileChanged} reads the token again and decides
 * afresh, so no check runs against a row another change has replaced (found by the attack review
 * of 2026-12-04: a PATCH or regeneration through a stolen token wrote back an allowlist or an
 * expiry the owner had just set).
 */
export class ChangedMeanwhile extends Error {
  constructor() {
    super('The token changed while a change of it was checked');
    this.name = 'ChangedMeanwhile';
  }
}

/** Runs `attempt` (read, check, write) again while it ends in {@link ChangedMeanwhile}. */
export async function retryWhileChanged<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof ChangedMeanwhile)) throw err;
      if (n >= MAX_CHANGE_ATTEMPTS) throw new ApiError('TOKEN_CHANGED_CONCURRENTLY');
    }
  }
}
