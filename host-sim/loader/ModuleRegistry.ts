// The live set of mounted plugin modules. Express sees only stable indirection middlewares
// (filters, REST, servlets); enabling or disabling a plugin swaps what they dispatch to, so
// a plugin appears and disappears at run time without touching the express app.
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { HostUser, WebPanelRenderer } from '../spi';
import type { FilterLocation, RestModule, ServletModule, WebItemModule, WebSectionModule } from './PluginDescriptor';

export interface MountedFilter {
  readonly moduleKey: string;
  readonly urlPattern: string;
  readonly location: FilterLocation;
  readonly weight: number;
  readonly handler: RequestHandler;
}

export interface MountedPanel {
  readonly moduleKey: string;
  readonly location: string;
  readonly weight: number;
  readonly render: WebPanelRenderer;
}

export interface MountedWebItem {
  readonly module: WebItemModule;
  /** The label in a locale (the descriptor's label is an i18n key or plain text). */
  label(locale: string): string;
}

export interface MountedWebSection {
  readonly module: WebSectionModule;
  label(locale: string): string;
}

/** Everything one active plugin contributes to the web half. */
export interface MountedPlugin {
  readonly pluginKey: string;
  readonly filters: readonly MountedFilter[];
  readonly rest: ReadonlyArray<{ readonly module: RestModule; readonly router: RequestHandler | Router }>;
  readonly servlets: ReadonlyArray<{ readonly module: ServletModule; readonly router: RequestHandler | Router }>;
  readonly panels: readonly MountedPanel[];
  readonly webItems: readonly MountedWebItem[];
  readonly webSections?: readonly MountedWebSection[];
}

/** Servlet-style URL pattern: `/rest/*` (prefix), `*.css` (suffix), `/*` (all) or an exact path. */
export function matchesUrlPattern(pattern: string, path: string): boolean {
  if (pattern === '/*' || pattern === '/') return true;
  if (pattern.startsWith('*.')) return path.endsWith(pattern.slice(1));
  if (pattern.endsWith('/*')) {
    const prefix = pattern.slice(0, -2);
    return path === prefix || path.startsWith(`${prefix}/`);
  }
  return path === pattern;
}

type OrderedFilter = MountedFilter & { readonly pluginKey: string; readonly seq: number };

/** Calls `handler`, forwarding a thrown error or a rejected promise to `next`. */
function invoke(handler: RequestHandler, req: Request, res: Response, next: NextFunction): void {
  try {
    const result = handler(req, res, next) as unknown;
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).catch(next);
  } catch (err) {
    next(err);
  }
}

export interface UserConditionCheck {
  isSystemAdmin(user: HostUser): Promise<boolean>;
  isAdmin(user: HostUser): Promise<boolean>;
}

export class ModuleRegistry {
  private readonly plugins = new Map<string, MountedPlugin>();
  private filters: Record<FilterLocation, OrderedFilter[]> = { 'before-login': [], 'after-login': [] };
  private restRouter: Router = express.Router();
  private servletRouter: Router = express.Router();
  private seq = 0;

  mount(plugin: MountedPlugin): void {
    this.plugins.set(plugin.pluginKey, plugin);
    this.rebuild();
  }

  unmount(pluginKey: string): void {
    if (this.plugins.delete(pluginKey)) this.rebuild();
  }

  isMounted(pluginKey: string): boolean {
    return this.plugins.has(pluginKey);
  }

  /** Runs the active filters of a location whose pattern matches, lower weight first. */
  filterMiddleware(location: FilterLocation): RequestHandler {
    return (req, res, next) => {
      const chain = this.filters[location];
      if (chain.length === 0) {
        next();
        return;
      }
      const path = req.path;
      let index = 0;
      const step = (err?: unknown): void => {
        if (err !== undefined && err !== 'route' && err !== 'router') {
          next(err);
          return;
        }
        while (index < chain.length) {
          const filter = chain[index++];
          if (matchesUrlPattern(filter.urlPattern, path)) {
            invoke(filter.handler, req, res, step);
            return;
          }
        }
        next();
      };
      step();
    };
  }

  /** Dispatches to the active plugins' REST resources (`/rest/<path>/<version>` and `/latest`). */
  restMiddleware(): RequestHandler {
    return (req, res, next) => this.restRouter(req, res, next);
  }

  /** Dispatches to the active plugins' servlets (`/plugins/servlet/<urlPattern>`). */
  servletMiddleware(): RequestHandler {
    return (req, res, next) => this.servletRouter(req, res, next);
  }

  panels(location: string): MountedPanel[] {
    return [...this.plugins.values()].flatMap((p) => p.panels.filter((panel) => panel.location === location))
      .sort((a, b) => a.weight - b.weight);
  }

  /** The web sections of a location (e.g. `admin-sidebar`), by weight; their items are in section `<location>/<key>`. */
  webSections(location: string): MountedWebSection[] {
    return [...this.plugins.values()].flatMap((p) => (p.webSections ?? []).filter((s) => s.module.location === location))
      .sort((a, b) => a.module.weight - b.module.weight);
  }

  /** Web items of a section visible to `user` (conditions evaluated), by weight. */
  async webItems(section: string, user: HostUser, check: UserConditionCheck): Promise<MountedWebItem[]> {
    const candidates = [...this.plugins.values()].flatMap((p) => p.webItems.filter((w) => w.module.section === section))
      .sort((a, b) => a.module.weight - b.module.weight);
    const visible: MountedWebItem[] = [];
    for (const item of candidates) {
      const condition = item.module.condition;
      if (condition === 'system-admin' && !(await check.isSystemAdmin(user))) continue;
      if (condition === 'admin' && !(await check.isAdmin(user))) continue;
      visible.push(item);
    }
    return visible;
  }

  private rebuild(): void {
    const filters: Record<FilterLocation, OrderedFilter[]> = { 'before-login': [], 'after-login': [] };
    const rest = express.Router();
    const servlets = express.Router();
    for (const plugin of this.plugins.values()) {
      for (const filter of plugin.filters) filters[filter.location].push({ ...filter, pluginKey: plugin.pluginKey, seq: this.seq++ });
      for (const { module, router } of plugin.rest) {
        rest.use(`/rest${module.path}/${module.version}`, router);
        rest.use(`/rest${module.path}/latest`, router);
      }
      for (const { module, router } of plugin.servlets) servlets.use(`/plugins/servlet/${module.urlPattern}`, router);
    }
    for (const list of Object.values(filters)) list.sort((a, b) => a.weight - b.weight || a.seq - b.seq);
    this.filters = filters;
    this.restRouter = rest;
    this.servletRouter = servlets;
  }
}
