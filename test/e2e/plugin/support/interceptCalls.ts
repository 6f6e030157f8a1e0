// Replacing a method of a host class's prototype for a test, for the calls a predicate picks:
// what holdCalls (a call kept waiting) and failCalls (a call made to fail) both build on. The
// plugin keeps calling the host's real services and imports nothing but host-sim/spi.

export type AnyFn = (...args: unknown[]) => unknown;

/**
 * The next `times` calls of `proto[method]` for which `matches(args, stack)` holds (the stack,
 * 60 frames deep, names the plugin's callers) go to `intercept` instead, with a way to run the
 * original; every other call runs as usual. Returns the function that puts the original back.
 */
export function interceptCalls(proto: object, method: string, matches: (args: unknown[], stack: string) => boolean, times: number,
  intercept: (run: () => unknown) => unknown): () => void {
  const target = proto as Record<string, AnyFn>;
  const original = target[method];
  let left = times;
  target[method] = function (this: unknown, ...args: unknown[]) {
    if (left > 0) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 60;
      const stack = new Error().stack ?? '';
      Error.stackTraceLimit = limit;
      if (matches(args, stack)) {
        left--;
        return intercept(() => original.apply(this, args));
      }
    }
    return original.apply(this, args);
  };
  return () => { target[method] = original; };
}
