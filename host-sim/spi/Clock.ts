/** The host's clock. The dev toolbox can move it; always ask it, never `Date.now()`. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
}
