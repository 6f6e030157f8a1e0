// The states a node announces by "it changed" and reads again (NewestReload): plugin states,
// licence states, the clock offset — and a way to hold the answer of one of their statements, so
// that a suite can order a read or a write's answer against a change made meanwhile.
import type { HostRuntime } from '../../../host-sim/impl/HostRuntime';

export const PLUGIN = 'com.example.p';

export interface HeldAnswer {
  /** Resolves when the statement has run and its answer is being held. */
  readonly engaged: Promise<void>;
  /** Hands the held answer to the caller. */
  release(): void;
}

type Matcher = (sql: string, params: readonly unknown[]) => boolean;

/** Runs the next `query` or `execute` that `matches` at once, but holds its answer until {@link HeldAnswer.release}. */
export function holdNextAnswer(runtime: HostRuntime, method: 'query' | 'execute', matches: Matcher): HeldAnswer {
  const db = runtime.db as unknown as Record<'query' | 'execute', (sql: string, ...rest: unknown[]) => Promise<unknown>>;
  const original = db[method].bind(db);
  let engage!: () => void;
  let release!: () => void;
  const engaged = new Promise<void>((resolve) => { engage = resolve; });
  const released = new Promise<void>((resolve) => { release = resolve; });
  let armed = true;
  db[method] = (sql: string, ...rest: unknown[]) => {
    if (!armed || !matches(sql, (rest[0] ?? []) as readonly unknown[])) return original(sql, ...rest);
    armed = false;
    return original(sql, ...rest).then(async (answer) => {
      engage();
      await released;
      return answer;
    });
  };
  return { engaged, release };
}

export interface AnnouncedState<T> {
  /** The state's own read. */
  reads: Matcher;
  /** The state's own write. */
  writes: Matcher;
  readonly before: T;
  readonly after: T;
  change(node: HostRuntime, value: T): Promise<void>;
  read(node: HostRuntime): T;
}

export const ANNOUNCED_STATES: Record<string, AnnouncedState<unknown>> = {
  'plugin state': {
    reads: (sql) => sql.startsWith('SELECT PLUGIN_KEY, ENABLED FROM HOST_PLUGIN_STATE'),
    writes: (sql) => sql.startsWith('INSERT INTO HOST_PLUGIN_STATE'),
    before: true, after: false,
    change: (node, value) => node.pluginStates.setEnabled(PLUGIN, value as boolean),
    read: (node) => node.pluginStates.isEnabled(PLUGIN),
  },
  'licence state': {
    reads: (sql) => sql.startsWith('SELECT PLUGIN_KEY, LICENSE_STATE FROM HOST_PLUGIN_LICENSE'),
    writes: (sql) => sql.startsWith('INSERT INTO HOST_PLUGIN_LICENSE'),
    before: 'valid', after: 'expired',
    change: (node, value) => node.licenses.setState(PLUGIN, value as 'valid' | 'expired'),
    read: (node) => node.licenses.getState(PLUGIN),
  },
  'clock offset': {
    reads: (sql, params) => sql.includes('FROM HOST_PROPERTY') && params[0] === 'clock.offset.millis',
    writes: (sql, params) => sql.startsWith('INSERT INTO HOST_PROPERTY') && params[0] === 'clock.offset.millis',
    before: 0, after: 86_400_000,
    change: (node, value) => node.clock.setOffsetMillis(value as number),
    read: (node) => node.clock.getOffsetMillis(),
  },
};
