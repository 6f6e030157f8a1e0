// Holding one database call (or any method call) of the host until a racing request has been
// answered: the stand-in for a slow round trip between what a request read and what it writes.
// Used by the race suites (racesAndOrderingAttacks, racesAcrossNodesAttacks).
import { interceptCalls } from './interceptCalls';

export interface Hold {
  /** Resolves once `n` calls (default 1) have been caught. */
  reached(n?: number): Promise<void>;
  /** Lets every caught call run. */
  release(): void;
  /** Puts the original method back. */
  restore(): void;
}

/**
 * Catches the next `times` calls of `proto[method]` for which `matches(args, stack)` holds (the
 * stack, 60 frames deep, names the plugin's callers) and keeps each waiting until
 * {@link Hold.release}: `before` it runs, or (`after`) with its result. Every other call runs as usual.
 */
export function hold(proto: object, method: string, matches: (args: unknown[], stack: string) => boolean, times = 1, when: 'before' | 'after' = 'before'): Hold {
  let caught = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const restore = interceptCalls(proto, method, matches, times, (run) => {
    caught++;
    for (const w of waiters.filter((x) => caught >= x.n)) w.resolve();
    if (when === 'before') return gate.then(run);
    return Promise.resolve(run()).then((value) => gate.then(() => value));
  });
  return {
    reached: (n = 1) => (caught >= n ? Promise.resolve() : new Promise<void>((resolve) => { waiters.push({ n, resolve }); })),
    release: () => release(),
    restore,
  };
}

/** Resolves with the promise's value, or with `'pending'` when it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<'pending'>((r) => { timer = setTimeout(() => r('pending'), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}
