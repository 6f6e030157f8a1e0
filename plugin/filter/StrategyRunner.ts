import type { Request } from 'express';
import type { Strategy } from 'passport';

/** What a passport strategy decided for one request. */
export type StrategyOutcome =
  | { readonly kind: 'success'; readonly user: unknown }
  | { readonly kind: 'fail' }
  | { readonly kind: 'pass' }
  | { readonly kind: 'error'; readonly error: unknown };

/** The actions passport gives a strategy instance for one request (passport's strategy protocol). */
interface StrategyActions {
  success(user: unknown): void;
  fail(): void;
  pass(): void;
  error(err: unknown): void;
  redirect(): void;
  authenticate(req: Request, options?: object): void;
}

/**
 * Runs one passport strategy for one request through passport's own strategy protocol: an
 * instance made with `Object.create(strategy)` that the strategy ends by calling `success`,
 * `fail`, `pass` or `error`, exactly as `passport.authenticate` does. What it leaves out is
 * what a stateless token filter never uses: passport's per-request decoration of the request
 * (`login`, `logout`, `isAuthenticated`, the session manager). Adding those six properties to
 * every request costs ~14 µs and changes the request object's shape for everything after it;
 * see bench/README.md for the measurement. A strategy that decides synchronously gets its
 * `done` called before `runStrategy` returns.
 */
export function runStrategy(strategy: Strategy, req: Request, done: (outcome: StrategyOutcome) => void): void {
  const instance = Object.create(strategy) as StrategyActions;
  let settled = false;
  let synchronous = true;
  let early: StrategyOutcome | undefined;
  const finish = (outcome: StrategyOutcome): void => {
    if (settled) return;
    settled = true;
    if (synchronous) early = outcome;
    else done(outcome);
  };
  instance.success = (user) => finish({ kind: 'success', user });
  instance.fail = () => finish({ kind: 'fail' });
  instance.pass = () => finish({ kind: 'pass' });
  instance.error = (error) => finish({ kind: 'error', error });
  instance.redirect = () => finish({ kind: 'error', error: new Error('A token strategy must not redirect') });
  try {
    instance.authenticate(req, { session: false });
  } catch (error) {
    finish({ kind: 'error', error });
  }
  synchronous = false;
  // Outside the try: an exception thrown by `done` is the caller's, not the strategy's.
  if (early) done(early);
}
