// Types of scripts/haproxy.js, for the TypeScript cluster suites.
export interface HaproxyCheck {
  /** Milliseconds between health checks of a node. */
  readonly interval: number;
  /** Failed checks in a row before a node is taken out. */
  readonly fall: number;
  /** Passed checks in a row before it is put back. */
  readonly rise: number;
}

export interface HaproxyNode {
  readonly name: string;
  readonly port: number;
}

export interface RunningHaproxy {
  /** `http://127.0.0.1:<port><context path>`. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  readonly configFile: string;
  logLines(): string[];
  serverStates(): Promise<Record<string, string>>;
  serverStats(): Promise<Record<string, Record<string, string>>>;
  stop(): Promise<void>;
}

export function haproxyConfig(options: {
  port: number; contextPath: string; nodes: readonly HaproxyNode[]; statsSocket?: string; check?: HaproxyCheck;
}): string;

export function startHaproxy(options: {
  dir: string; port: number; contextPath: string; nodes: readonly HaproxyNode[]; check?: HaproxyCheck;
  onLine?: (line: string) => void;
}): Promise<RunningHaproxy>;

export function haproxyCommand(): string;
