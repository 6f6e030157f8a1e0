import { SystemPropertyError } from '../../host-sim/spi';
import { DEFAULT_CLUSTER_FLUSH_OPTIONS } from '../service/ClusterLastAccessFlush';

/**
 * The system properties this plugin reads (HOSTSIM_SYSPROPS or `<DATA_DIR>/host.properties`,
 * the same on every node), read once at activation. An absent or empty value means the
 * default (undefined here, the component's own default there).
 */
export interface PluginProperties {
  /** `apitokenauth.secure.mode`: no change to a token after its creation, no snippets. */
  readonly secureMode: boolean;
  /** `apitokenauth.tokenCache.maxMiB`, in bytes. */
  readonly tokenCacheMaxBytes?: number;
  /** `apitokenauth.tokenCache.maxUnknown`: public ids remembered as having no token. */
  readonly tokenCacheMaxUnknown?: number;
  /** `apitokenauth.restrictionsCache.maxMiB`, in bytes. */
  readonly restrictionsCacheMaxBytes?: number;
  /** `apitokenauth.cacheMaxAgeSeconds`: the longest a cached credential or setting is used unread. */
  readonly cacheMaxAgeSeconds?: number;
  /** `apitokenauth.databaseTimeoutMs`. */
  readonly databaseTimeoutMs?: number;
  /** `apitokenauth.failedAttemptsPerMinute`. */
  readonly failedAttemptsPerMinute?: number;
  /** `apitokenauth.revokeRequestsPerMinute`. */
  readonly revokeRequestsPerMinute?: number;
  /** `apitokenauth.lastAccessFlush.answerWindowMs`. */
  readonly lastAccessAnswerWindowMs?: number;
}

/** Every property name the plugin knows: a name of its namespace not listed here is a mistake worth a log line. */
export const PLUGIN_PROPERTY_NAMES = Object.freeze([
  'apitokenauth.secure.mode', 'apitokenauth.tokenCache.maxMiB', 'apitokenauth.tokenCache.maxUnknown', 'apitokenauth.restrictionsCache.maxMiB',
  'apitokenauth.cacheMaxAgeSeconds', 'apitokenauth.databaseTimeoutMs', 'apitokenauth.failedAttemptsPerMinute',
  'apitokenauth.revokeRequestsPerMinute', 'apitokenauth.lastAccessFlush.answerWindowMs',
] as const);

export type PluginPropertyName = (typeof PLUGIN_PROPERTY_NAMES)[number];

const NAMESPACE = 'apitokenauth.';
const MAX_CACHE_AGE_SECONDS = 86_400;
const MAX_DATABASE_TIMEOUT_MS = 600_000;
const MIB = 1024 * 1024;

/** The same spellings as the host's own switches (APITOKENAUTH_SECURE_MODE), so a word means one thing on either route. */
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

type Properties = Readonly<Record<string, string>>;

function given(props: Properties, name: PluginPropertyName): string | undefined {
  const raw = Object.hasOwn(props, name) ? props[name] : undefined;
  return raw === undefined || raw.trim() === '' ? undefined : raw;
}

function flag(props: Properties, name: PluginPropertyName): boolean {
  const raw = given(props, name);
  if (raw === undefined) return false;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new SystemPropertyError(name, raw, 'true or false');
}

/** A whole number from 1 to `max`, digits only (no sign, fraction, exponent or radix prefix). */
function whole(props: Properties, name: PluginPropertyName, max = Number.MAX_SAFE_INTEGER, unit = ''): number | undefined {
  const raw = given(props, name);
  if (raw === undefined) return undefined;
  const digits = raw.trim();
  const n = /^[0-9]{1,16}$/.test(digits) ? Number(digits) : NaN;
  if (!(n >= 1 && n <= max)) throw new SystemPropertyError(name, raw, `a whole number${unit} from 1 to ${max}`);
  return n;
}

function mebibytes(props: Properties, name: PluginPropertyName): number | undefined {
  const n = whole(props, name, Math.floor(Number.MAX_SAFE_INTEGER / MIB), ' of MiB');
  return n === undefined ? undefined : n * MIB;
}

/**
 * The plugin's properties, read from the host's system properties.
 * @throws SystemPropertyError for a value the plugin cannot use (the activation stops)
 */
export function readPluginProperties(props: Properties): PluginProperties {
  return {
    secureMode: flag(props, 'apitokenauth.secure.mode'),
    tokenCacheMaxBytes: mebibytes(props, 'apitokenauth.tokenCache.maxMiB'),
    tokenCacheMaxUnknown: whole(props, 'apitokenauth.tokenCache.maxUnknown'),
    restrictionsCacheMaxBytes: mebibytes(props, 'apitokenauth.restrictionsCache.maxMiB'),
    // It bounds how long a revocation whose invalidation was lost can go unseen: at most a day, as the host's user cache.
    cacheMaxAgeSeconds: whole(props, 'apitokenauth.cacheMaxAgeSeconds', MAX_CACHE_AGE_SECONDS),
    // Requests wait for a stalled read this long: at most ten minutes.
    databaseTimeoutMs: whole(props, 'apitokenauth.databaseTimeoutMs', MAX_DATABASE_TIMEOUT_MS),
    failedAttemptsPerMinute: whole(props, 'apitokenauth.failedAttemptsPerMinute'),
    revokeRequestsPerMinute: whole(props, 'apitokenauth.revokeRequestsPerMinute'),
    lastAccessAnswerWindowMs: whole(props, 'apitokenauth.lastAccessFlush.answerWindowMs', DEFAULT_CLUSTER_FLUSH_OPTIONS.maxWaitMs),
  };
}

/**
 * Names in the plugin's namespace, in any case, that it does not read (a typo such as
 * `apitokenauth.secureMode` or `APITOKENAUTH.SECURE.MODE` would otherwise change nothing, unnoticed).
 */
export function unknownPluginProperties(props: Properties): string[] {
  const known: ReadonlySet<string> = new Set(PLUGIN_PROPERTY_NAMES);
  return Object.keys(props).filter((name) => name.toLowerCase().startsWith(NAMESPACE) && !known.has(name)).sort();
}
