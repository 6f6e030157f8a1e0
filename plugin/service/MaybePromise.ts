/**
 * A value now, or a promise of it. The token hot path returns plain values while everything it
 * needs is in this node's memory, and promises only when something must be read: every `await`
 * costs a trip through the microtask queue, which on a cached request is most of its cost.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `next(value)` at once for a plain value, `value.then(next)` for a promise. */
export function andThen<T, R>(value: MaybePromise<T>, next: (v: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}
