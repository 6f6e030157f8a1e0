// Activates plugins from their descriptors, mounts their modules into the ModuleRegistry and
// schedules their jobs; follows the UPM enabled state on every node of the cluster.
import type { RequestHandler } from 'express';
import type { HostConfig, HostRuntime } from '../impl/HostRuntime';
import type {
  ActivateFunction, HostServices, JobRunner, Logger, ModuleImplementation, PluginContext, PluginInstance, WebPanelRenderer,
} from '../spi';
import { pluginAoPrefix } from './aoSchema';
import type { MountedPlugin, MountedWebSection, ModuleRegistry } from './ModuleRegistry';
import { IMPLEMENTED_MODULE_TYPES, PluginLoadError, type ModuleDescriptor, type PluginDescriptor } from './PluginDescriptor';

interface ActivePlugin {
  readonly instance: PluginInstance;
}

export interface PluginLoaderDeps {
  readonly runtime: HostRuntime;
  /** The config with the bound port (the base URL the plugin must use). */
  readonly config: HostConfig;
  readonly registry: ModuleRegistry;
  readonly descriptors: readonly PluginDescriptor[];
  readonly logger: Logger;
}

function jobKey(pluginKey: string, moduleKey: string): string {
  return `${pluginKey}:${moduleKey}`;
}

/** Owns the plugins' lifecycle: activate, mount, deactivate. Operations run one at a time. */
export class PluginLoader {
  private readonly active = new Map<string, ActivePlugin>();
  private queue: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(private readonly deps: PluginLoaderDeps) {}

  get descriptors(): readonly PluginDescriptor[] {
    return this.deps.descriptors;
  }

  descriptor(pluginKey: string): PluginDescriptor | undefined {
    return this.deps.descriptors.find((d) => d.key === pluginKey);
  }

  isActive(pluginKey: string): boolean {
    return this.active.has(pluginKey);
  }

  /** Activates every enabled plugin (a failure is fatal) and follows later state changes. */
  async start(): Promise<void> {
    // Listening first: a change made on another node while a plugin activates (its activate may
    // wait for the database) is applied after that activation instead of being missed.
    this.unsubscribe = this.deps.runtime.pluginStates.onChange((pluginKey, enabled) => {
      this.follow(pluginKey).catch((err: unknown) => {
        this.deps.logger.error('Plugin state change failed', { pluginKey, enabled, error: (err as Error).message });
      });
    });
    for (const descriptor of this.deps.descriptors) {
      await this.serialised(async () => {
        if (this.deps.runtime.pluginStates.isEnabled(descriptor.key) && !this.active.has(descriptor.key)) await this.activate(descriptor);
      });
    }
  }

  /**
   * UPM: persists the state (every node follows; the store publishes the host event), then brings
   * this node in line with the state it holds by then, before resolving. That may be another
   * node's change made at the same moment and read here meanwhile: the database decides, not the
   * order in which the two applications reach this node's queue.
   */
  async setEnabled(pluginKey: string, enabled: boolean): Promise<void> {
    await this.deps.runtime.pluginStates.setEnabled(pluginKey, enabled);
    await this.follow(pluginKey);
  }

  /** Brings this node in line with the state its store holds when the step runs; idempotent. */
  private follow(pluginKey: string): Promise<void> {
    return this.serialised(() => this.bringInLine(pluginKey, () => this.deps.runtime.pluginStates.isEnabled(pluginKey)));
  }

  /**
   * Switches the plugin on this node only, whatever the cluster's state (tests model a node that
   * missed a change with it); the next change of the state is followed again.
   */
  apply(pluginKey: string, enabled: boolean): Promise<void> {
    return this.serialised(() => this.bringInLine(pluginKey, () => enabled));
  }

  private async bringInLine(pluginKey: string, wanted: () => boolean): Promise<void> {
    if (this.stopped) return;
    const descriptor = this.descriptor(pluginKey);
    if (!descriptor) return;
    const enabled = wanted();
    if (enabled && !this.active.has(pluginKey)) await this.activate(descriptor);
    if (!enabled && this.active.has(pluginKey)) await this.deactivate(pluginKey);
  }

  /** Deactivates every plugin (flushes their pending writes); used on shutdown. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.serialised(async () => {
      this.stopped = true;
      for (const pluginKey of [...this.active.keys()].reverse()) await this.deactivate(pluginKey);
    });
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private services(descriptor: PluginDescriptor): HostServices {
    const i18n = descriptor.modules.find((m) => m.type === 'i18n');
    return this.deps.runtime.servicesForPlugin({
      pluginKey: descriptor.key,
      aoPrefix: pluginAoPrefix(descriptor, this.deps.config.product),
      i18nBundle: i18n?.type === 'i18n' ? i18n.bundle : undefined,
    });
  }

  private loadActivate(descriptor: PluginDescriptor): ActivateFunction {
    let exported: unknown;
    try {
      exported = (require(descriptor.main) as { activate?: unknown }).activate;
    } catch (err) {
      throw new PluginLoadError(`${descriptor.key}: cannot load main ${descriptor.main}: ${(err as Error).message}`, { cause: err });
    }
    if (typeof exported !== 'function') throw new PluginLoadError(`${descriptor.key}: ${descriptor.main} must export an "activate" function`);
    return exported as ActivateFunction;
  }

  private async activate(descriptor: PluginDescriptor): Promise<void> {
    const { config, runtime } = this.deps;
    const services = this.services(descriptor);
    const logger = runtime.logger.child({ plugin: descriptor.key });
    const context: PluginContext = {
      pluginKey: descriptor.key,
      product: config.product,
      baseUrl: config.baseUrl,
      contextPath: config.contextPath,
      systemProperties: config.systemProperties,
      devMode: config.devMode,
      services,
      logger,
    };
    const instance = await this.loadActivate(descriptor)(context);
    if (!instance || typeof instance !== 'object' || typeof instance.deactivate !== 'function' || typeof instance.modules !== 'object') {
      throw new PluginLoadError(`${descriptor.key}: activate must resolve to {modules, deactivate}`);
    }
    try {
      const mounted = this.mountable(descriptor, instance.modules, services);
      this.deps.registry.mount(mounted);
      for (const module of descriptor.modules) {
        if (module.type !== 'job') continue;
        runtime.scheduler.schedule(jobKey(descriptor.key, module.key), { intervalMs: module.intervalMs, runOncePerCluster: module.runOncePerCluster },
          instance.modules[module.key] as JobRunner);
      }
    } catch (err) {
      this.deps.registry.unmount(descriptor.key);
      runtime.scheduler.unscheduleByPrefix(`${descriptor.key}:`);
      await instance.deactivate().catch(() => undefined);
      throw err;
    }
    this.active.set(descriptor.key, { instance });
    this.deps.logger.info('Plugin enabled', { pluginKey: descriptor.key, version: descriptor.version });
  }

  private async deactivate(pluginKey: string): Promise<void> {
    const plugin = this.active.get(pluginKey);
    if (!plugin) return;
    this.active.delete(pluginKey);
    this.deps.registry.unmount(pluginKey);
    this.deps.runtime.scheduler.unscheduleByPrefix(`${pluginKey}:`);
    try {
      await plugin.instance.deactivate();
    } catch (err) {
      this.deps.logger.error('Plugin deactivate failed', { pluginKey, error: (err as Error).message });
    }
    this.deps.logger.info('Plugin disabled', { pluginKey });
  }

  /** Checks declared modules against the implementations and builds what the registry mounts. */
  private mountable(descriptor: PluginDescriptor, modules: Readonly<Record<string, ModuleImplementation>>, services: HostServices): MountedPlugin {
    const declared = new Map<string, ModuleDescriptor>(descriptor.modules.map((m) => [m.key, m]));
    for (const key of Object.keys(modules)) {
      const module = declared.get(key);
      if (!module) throw new PluginLoadError(`${descriptor.key}: activate returned an implementation for "${key}", which the descriptor does not declare`);
      if (!IMPLEMENTED_MODULE_TYPES.has(module.type)) throw new PluginLoadError(`${descriptor.key}: module "${key}" (${module.type}) takes no implementation`);
    }
    const impl = (module: ModuleDescriptor): ModuleImplementation => {
      const value = modules[module.key];
      if (typeof value !== 'function') throw new PluginLoadError(`${descriptor.key}: module "${module.key}" (${module.type}) has no implementation`);
      return value;
    };
    const webSections: MountedWebSection[] = [];
    const mounted: { -readonly [K in keyof MountedPlugin]: MountedPlugin[K] extends ReadonlyArray<infer E> ? E[] : MountedPlugin[K] } = {
      pluginKey: descriptor.key, filters: [], rest: [], servlets: [], panels: [], webItems: [], webSections,
    };
    for (const module of descriptor.modules) {
      switch (module.type) {
        case 'servlet-filter':
          mounted.filters.push({ moduleKey: module.key, urlPattern: module.urlPattern, location: module.location, weight: module.weight, handler: impl(module) as RequestHandler });
          break;
        case 'rest':
          mounted.rest.push({ module, router: impl(module) as RequestHandler });
          break;
        case 'servlet':
          mounted.servlets.push({ module, router: impl(module) as RequestHandler });
          break;
        case 'web-panel':
          mounted.panels.push({ moduleKey: module.key, location: module.location, weight: module.weight, render: impl(module) as WebPanelRenderer });
          break;
        case 'job':
          impl(module);
          break;
        case 'web-item':
          mounted.webItems.push({ module, label: (locale) => services.i18nResolver.getText(locale, module.label) });
          break;
        case 'web-section':
          webSections.push({ module, label: (locale) => services.i18nResolver.getText(locale, module.label) });
          break;
        default:
          break;
      }
    }
    return mounted;
  }
}
