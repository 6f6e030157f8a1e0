// The parsed, validated form of an `atlassian-plugin.json` descriptor.
import fs from 'node:fs';
import path from 'node:path';

/** Raised for a descriptor that cannot be loaded; the message names the file and the module. */
export class PluginLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PluginLoadError';
  }
}

export type FilterLocation = 'before-login' | 'after-login';
export type WebItemCondition = 'system-admin' | 'admin';

export interface AoModule {
  readonly type: 'ao'; readonly key: string; readonly namespace: string; readonly entities: readonly string[];
  /** Absolute module path of the `upgradeTasks` factory. */
  readonly upgradeTasks: string;
  readonly prefix?: string;
  readonly prefixes?: Readonly<Record<string, string>>;
}
export interface I18nModule { readonly type: 'i18n'; readonly key: string; /** Absolute bundle base path. */ readonly bundle: string }
export interface FilterModule {
  readonly type: 'servlet-filter'; readonly key: string; readonly urlPattern: string;
  readonly location: FilterLocation; readonly weight: number;
  /**
   * Passwords starting with it are this filter's credentials (e.g. `apitok_`): the host's
   * password check refuses them without counting a failed login, also while the plugin is disabled.
   */
  readonly credentialPrefix?: string;
}
export interface RestModule { readonly type: 'rest'; readonly key: string; readonly path: string; readonly version: string }
export interface ServletModule { readonly type: 'servlet'; readonly key: string; readonly urlPattern: string }
export interface WebPanelModule { readonly type: 'web-panel'; readonly key: string; readonly location: string; readonly weight: number }
export interface WebItemModule {
  readonly type: 'web-item'; readonly key: string; readonly section: string; readonly label: string;
  readonly link: string; readonly weight: number; readonly condition?: WebItemCondition;
}
/** A heading that groups web items: items name it as `section: "<location>/<section key>"`. */
export interface WebSectionModule { readonly type: 'web-section'; readonly key: string; readonly location: string; readonly label: string; readonly weight: number }
export interface JobModule { readonly type: 'job'; readonly key: string; readonly intervalMs: number; readonly runOncePerCluster: boolean }

export type ModuleDescriptor =
  | AoModule | I18nModule | FilterModule | RestModule | ServletModule | WebPanelModule | WebItemModule | WebSectionModule | JobModule;

/** Module types whose behaviour comes from the plugin's `activate` result. */
export const IMPLEMENTED_MODULE_TYPES: ReadonlySet<ModuleDescriptor['type']> =
  new Set(['servlet-filter', 'rest', 'servlet', 'web-panel', 'job']);

export interface PluginDescriptor {
  readonly key: string;
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly vendorName: string;
  /** Absolute path of the descriptor file. */
  readonly file: string;
  /** Absolute module path of `main`. */
  readonly main: string;
  readonly modules: readonly ModuleDescriptor[];
}

type Json = Record<string, unknown>;

class Reader {
  constructor(private readonly where: string, private readonly raw: Json) {}

  fail(message: string): never {
    throw new PluginLoadError(`${this.where}: ${message}`);
  }

  string(name: string, options: { optional?: boolean; pattern?: RegExp } = {}): string {
    const value = this.raw[name];
    if (value === undefined && options.optional) return '';
    if (typeof value !== 'string' || value.trim() === '') this.fail(`"${name}" must be a non-empty string`);
    if (options.pattern && !options.pattern.test(value)) this.fail(`"${name}" has an invalid value "${value}"`);
    return value;
  }

  integer(name: string, fallback: number | undefined, min: number): number {
    const value = this.raw[name];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) this.fail(`"${name}" must be an integer ≥ ${min}`);
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(`"${name}" must be true or false`);
    return value;
  }
}

const MODULE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const AO_PREFIX = /^AO_[0-9A-F]{6}$/;
/** Long enough that no one's password is claimed by accident. */
const CREDENTIAL_PREFIX = /^[A-Za-z0-9_-]{4,64}$/;

function parseModule(raw: unknown, index: number, dir: string, file: string): ModuleDescriptor {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PluginLoadError(`${file}: modules[${index}] must be an object`);
  }
  const json = raw as Json;
  const first = new Reader(`${file}: modules[${index}]`, json);
  const key = first.string('key', { pattern: MODULE_KEY });
  const r = new Reader(`${file}: module "${key}"`, json);
  const type = r.string('type');
  switch (type) {
    case 'ao': {
      const entities = json.entities;
      if (!Array.isArray(entities) || entities.length === 0 || !entities.every((e) => typeof e === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(e))) {
        r.fail('"entities" must be a non-empty list of entity names such as "Token"');
      }
      const prefix = json.prefix === undefined ? undefined : r.string('prefix', { pattern: AO_PREFIX });
      let prefixes: Record<string, string> | undefined;
      if (json.prefixes !== undefined) {
        if (typeof json.prefixes !== 'object' || json.prefixes === null || Array.isArray(json.prefixes)) r.fail('"prefixes" must be an object');
        prefixes = {};
        for (const [product, value] of Object.entries(json.prefixes as Json)) {
          if (product !== 'jira' && product !== 'confluence') r.fail(`"prefixes" has an unknown product "${product}"`);
          if (typeof value !== 'string' || !AO_PREFIX.test(value)) return r.fail(`"prefixes.${product}" must look like AO_5D4005`);
          prefixes[product] = value;
        }
      }
      return {
        type, key, namespace: r.string('namespace'), entities: entities as string[],
        upgradeTasks: path.resolve(dir, r.string('upgradeTasks')), prefix, prefixes,
      };
    }
    case 'i18n':
      return { type, key, bundle: path.resolve(dir, r.string('bundle')) };
    case 'servlet-filter': {
      const location = r.string('location', { pattern: /^(before-login|after-login)$/ }) as FilterLocation;
      const credentialPrefix = json.credentialPrefix === undefined ? {} : { credentialPrefix: r.string('credentialPrefix', { pattern: CREDENTIAL_PREFIX }) };
      return { type, key, urlPattern: r.string('urlPattern', { pattern: /^(\/\S*|\*\.\w+)$/ }), location, weight: r.integer('weight', 100, 0), ...credentialPrefix };
    }
    case 'rest':
      return { type, key, path: r.string('path', { pattern: /^\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/ }), version: r.string('version', { pattern: /^[0-9][0-9A-Za-z.]*$/ }) };
    case 'servlet':
      return { type, key, urlPattern: r.string('urlPattern', { pattern: /^\/?[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/ }).replace(/^\//, '') };
    case 'web-panel':
      return { type, key, location: r.string('location'), weight: r.integer('weight', 100, 0) };
    case 'web-item': {
      const condition = json.condition === undefined ? undefined
        : r.string('condition', { pattern: /^(system-admin|admin)$/ }) as WebItemCondition;
      return {
        type, key, section: r.string('section'), label: r.string('label'),
        link: r.string('link', { pattern: /^\/\S*$/ }), weight: r.integer('weight', 100, 0), condition,
      };
    }
    case 'web-section':
      return { type, key, location: r.string('location'), label: r.string('label'), weight: r.integer('weight', 100, 0) };
    case 'job':
      return { type, key, intervalMs: r.integer('intervalMs', undefined, 10), runOncePerCluster: r.boolean('runOncePerCluster', true) };
    default:
      return r.fail(`unknown module type "${type}" (known: ao, i18n, servlet-filter, rest, servlet, web-panel, web-item, web-section, job)`);
  }
}

/** The credential prefixes that the descriptors' filters claim (see {@link FilterModule.credentialPrefix}). */
export function claimedCredentialPrefixes(descriptors: readonly PluginDescriptor[]): string[] {
  return descriptors.flatMap((d) => d.modules.flatMap((m) => (m.type === 'servlet-filter' && m.credentialPrefix ? [m.credentialPrefix] : [])));
}

/** Validates a parsed descriptor; relative paths are resolved against the descriptor's folder. */
export function parseDescriptor(raw: unknown, file: string): PluginDescriptor {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new PluginLoadError(`${file}: must be a JSON object`);
  const json = raw as Json;
  const r = new Reader(file, json);
  const key = r.string('key', { pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/ });
  const dir = path.dirname(file);
  if (!Array.isArray(json.modules)) r.fail('"modules" must be a list');
  const modules = (json.modules as unknown[]).map((m, i) => parseModule(m, i, dir, file));
  const seen = new Set<string>();
  for (const m of modules) {
    if (seen.has(m.key)) r.fail(`module key "${m.key}" is used twice`);
    seen.add(m.key);
  }
  const vendor = json.vendor;
  const vendorName = typeof vendor === 'object' && vendor !== null && typeof (vendor as Json).name === 'string' ? (vendor as Json).name as string : '';
  return {
    key,
    name: r.string('name'),
    version: r.string('version'),
    description: r.string('description', { optional: true }),
    vendorName,
    file,
    main: path.resolve(dir, r.string('main')),
    modules,
  };
}

/** Reads and validates a descriptor file. */
export function readDescriptor(file: string): PluginDescriptor {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (err) {
    throw new PluginLoadError(`cannot read plugin descriptor ${absolute}: ${(err as Error).message}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PluginLoadError(`${absolute}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseDescriptor(raw, absolute);
}
