// Types of scripts/ensure-system-packages.js, for the TypeScript tests.
export interface RunContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly specs: readonly string[];
}

export interface SystemPackage {
  /** The Debian package. */
  readonly name: string;
  /** Commands it provides; the package counts as missing when any of them is not found. */
  readonly commands: readonly string[];
  readonly purpose: string;
  needed(context: RunContext): boolean;
}

export interface Step {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export type Plan =
  | { readonly action: 'none' }
  | { readonly action: 'install'; readonly announce: string; readonly steps: readonly Step[] }
  | { readonly action: 'fail'; readonly message: string };

export type Find = (command: string) => string | null;

export type TestDatabaseKind = 'sqlite' | 'mariadb' | 'postgres';
export const TEST_DATABASE_KINDS: readonly TestDatabaseKind[];
/** TEST_DATABASES (comma-separated) or the default set; throws on an unknown name. */
export function testDatabaseKinds(env?: Readonly<Record<string, string | undefined>>): TestDatabaseKind[];
export const SYSTEM_PACKAGES: readonly SystemPackage[];
export const SBIN_DIRS: readonly string[];
export function mayRun(specs: readonly string[], dir: string): boolean;
export function findCommand(command: string, env?: Readonly<Record<string, string | undefined>>): string | null;
export function missingPackages(options?: {
  packages?: readonly SystemPackage[]; env?: Readonly<Record<string, string | undefined>>; specs?: readonly string[]; find?: Find;
}): SystemPackage[];
export function decide(options: { missing: readonly SystemPackage[]; isRoot: boolean; hasAptGet: boolean }): Plan;
export function installCommandLine(names: readonly string[], options: { isRoot: boolean }): string;
export function ensureSystemPackages(options?: {
  packages?: readonly SystemPackage[];
  env?: Readonly<Record<string, string | undefined>>;
  specs?: readonly string[];
  find?: Find;
  isRoot?: boolean;
  hasAptGet?: boolean;
  run?: (step: Step) => { ok: boolean; output: string };
  log?: (line: string) => void;
  error?: (line: string) => void;
}): boolean;
