// Requests under way on a node, so that an orderly stop can let them finish before the plugins stop.
import type { RequestListener } from 'node:http';

/** How long an orderly stop waits for the requests under way before it stops the plugins. */
export const STOP_DRAIN_MS = 10_000;

/**
 * Counts the requests handed to `app` until their responses end, so that an orderly stop can let
 * them finish: the plugins stopped under a request still being decided (its body arriving, a
 * read under way) refused its token with 401 and lost its token use.
 */
export interface InFlightTracker {
  /** Hands each request to the app and counts it until its response ends. */
  readonly listener: RequestListener;
  /** Resolves true once no request is under way, false after `maxMs` with some still running. */
  drained(maxMs: number): Promise<boolean>;
}

export function inFlightTracker(app: RequestListener): InFlightTracker {
  let inFlight = 0;
  const waiting = new Set<() => void>();
  const listener: RequestListener = (req, res) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) for (const wake of [...waiting]) wake();
    });
    app(req, res);
  };
  const drained = (maxMs: number): Promise<boolean> => {
    if (inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (all: boolean): void => {
        clearTimeout(timer);
        waiting.delete(wake);
        resolve(all);
      };
      const wake = (): void => done(true);
      const timer = setTimeout(() => done(false), maxMs);
      waiting.add(wake);
    });
  };
  return { listener, drained };
}
