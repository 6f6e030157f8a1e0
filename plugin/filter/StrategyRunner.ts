import type { Request } from 'express';
import type { Strategy } from 'passport';
import type { AuthorizationHeader } from '../../host-sim/spi';

/** What a passport strategy decided for one request. */
export type StrategyOutcome =
  | { readonly kind: 'success'; readonly user: unknown }
  | { readonly kind: 'fail' }
  | { readonly kind: 'pass' }
  | { readonly kind: 'error'; readonly error: unknown };

/** One request's run: passport's strategy protocol (the actions) plus the bookkeeping. */
interface StrategyRun {
  done: (outcome: StrategyOutcome) => void;
  settled: boolean;
  synchronous: boolean;
  early: StrategyOutcome | undefined;
  finish(outcome: StrategyOutcome): void;
  authenticate(req: Request, options?: object): void;
}

const ACTIONS: PropertyDescriptorMap = {
  success: { value(this: StrategyRun, user: unknown) { this.finish({ kind: 'success', user }); } },
  fail: { value(this: StrategyRun) { this.finish({ kind: 'fail' }); } },
  pass: { value(this: StrategyRun) { this.finish({ kind: 'pass' }); } },
  error: { value(this: StrategyRun, error: unknown) { this.finish({ kind: 'error', error }); } },
  redirect: { value(this: StrategyRun) { this.finish({ kind: 'error', error: new Error('A token strategy must not redirect') }); } },
  finish: {
    value(this: StrategyRun, outcome: StrategyOutcome) {
      if (this.settled) return;
      this.settled = true;
      if (this.synchronous) this.early = outcome;
      else this.done(outcome);
    },
  },
};

/**
 * Runs one passport strategy per request through passport's own strategy protocol: an instance
 * whose prototype chain leads to the strategy and that the strategy ends by calling `success`,
 * `fail`, `pass` or `error`, as `passport.authenticate` does. What it leaves out is what a
 * stateless token filter never uses: passport's per-request decoration of the request (`login`,
 * `logout`, `isAuthenticated`, the session manager), which cost ~14 µs per request. The
 * actions live on one prototype per strategy, so a request costs one small object rather than
 * an object and six closures (bench/README.md). A strategy that decides synchronously gets
 * `done` called before `run` returns.
 */
export class StrategyRunner {
  private readonly prototype: object;

  constructor(strategy: Strategy) {
    this.prototype = Object.create(strategy, ACTIONS) as object;
  }

  /**
   * @param authorization the request's `Authorization` header as the filter has read it
   *   (`readAuthorization`), handed to the strategy as the option `authorization` so that it is
   *   read once per request
   */
  run(req: Request, authorization: AuthorizationHeader, done: (outcome: StrategyOutcome) => void): void {
    const run = Object.create(this.prototype) as StrategyRun;
    run.done = done;
    run.settled = false;
    run.synchronous = true;
    run.early = undefined;
    try {
      run.authenticate(req, { session: false, authorization });
    } catch (error) {
      run.finish({ kind: 'error', error });
    }
    run.synchronous = false;
    // Outside the try: an exception thrown by `done` is the caller's, not the strategy's.
    if (run.early) done(run.early);
  }
}
