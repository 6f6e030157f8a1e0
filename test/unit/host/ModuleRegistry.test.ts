import { expect } from 'chai';
import type { Request, RequestHandler, Response } from 'express';
import { matchesUrlPattern, ModuleRegistry, type MountedPlugin } from '../../../host-sim/loader/ModuleRegistry';

function plugin(key: string, filters: Array<[string, number, string]>, log: string[]): MountedPlugin {
  return {
    pluginKey: key,
    filters: filters.map(([moduleKey, weight, pattern]) => ({
      moduleKey, weight, urlPattern: pattern, location: 'before-login' as const,
      handler: ((_req, _res, next) => { log.push(moduleKey); next(); }) as RequestHandler,
    })),
    rest: [], servlets: [], panels: [], webItems: [],
  };
}

function run(handler: RequestHandler, path: string): Promise<unknown> {
  return new Promise((resolve) => handler({ path } as Request, {} as Response, resolve));
}

describe('ModuleRegistry', () => {
  it('should match servlet-style URL patterns', () => {
    expect(matchesUrlPattern('/rest/*', '/rest/api/2/myself')).to.equal(true);
    expect(matchesUrlPattern('/rest/*', '/rest')).to.equal(true);
    expect(matchesUrlPattern('/rest/*', '/restless')).to.equal(false);
    expect(matchesUrlPattern('*.css', '/a/b.css')).to.equal(true);
    expect(matchesUrlPattern('/exact', '/exact')).to.equal(true);
    expect(matchesUrlPattern('/exact', '/exact/more')).to.equal(false);
    expect(matchesUrlPattern('/*', '/anything')).to.equal(true);
  });

  it('should run matching filters by weight, lower first, across plugins', async () => {
    const log: string[] = [];
    const registry = new ModuleRegistry();
    registry.mount(plugin('a', [['a-300', 300, '/rest/*'], ['a-10', 10, '/rest/*']], log));
    registry.mount(plugin('b', [['b-100', 100, '/rest/*'], ['b-pages', 1, '/secure/*']], log));
    await run(registry.filterMiddleware('before-login'), '/rest/api/2/myself');
    expect(log).to.deep.equal(['a-10', 'b-100', 'a-300']);
  });

  it('should stop running a plugin\'s filters once it is unmounted', async () => {
    const log: string[] = [];
    const registry = new ModuleRegistry();
    const middleware = registry.filterMiddleware('before-login');
    registry.mount(plugin('a', [['a', 1, '/rest/*']], log));
    await run(middleware, '/rest/x');
    registry.unmount('a');
    await run(middleware, '/rest/x');
    expect(log).to.deep.equal(['a']);
    expect(registry.isMounted('a')).to.equal(false);
  });

  it('should pass a filter error to next', async () => {
    const registry = new ModuleRegistry();
    const boom = new Error('boom');
    registry.mount({ pluginKey: 'p', rest: [], servlets: [], panels: [], webItems: [], filters: [{ moduleKey: 'f', weight: 1, urlPattern: '/*', location: 'before-login', handler: async () => { throw boom; } }] });
    expect(await run(registry.filterMiddleware('before-login'), '/x')).to.equal(boom);
  });
});
