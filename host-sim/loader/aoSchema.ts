// Active Objects naming (docs/plugin-development.md) and the collection of the plugins' upgrade tasks, which the
// runtime must run before any plugin starts.
import type { MigrationInterface } from 'typeorm';
import type { AoUpgradeTaskFactory, Product } from '../spi';
import { aoPrefixForNamespace, aoTableName } from '../impl/ao/aoNaming';
import { parseDbUrl, type Dialect } from '../impl/db/dbUrl';
import { PluginLoadError, type AoModule, type PluginDescriptor } from './PluginDescriptor';

/** The prefix for an `ao` module in a product: pinned per product, pinned, or computed. */
export function aoPrefixFor(module: AoModule, product: Product): string {
  return module.prefixes?.[product] ?? module.prefix ?? aoPrefixForNamespace(module.namespace);
}

/** The AO prefix a plugin's services are bound to (its first `ao` module; computed from the key otherwise). */
export function pluginAoPrefix(descriptor: PluginDescriptor, product: Product): string {
  const ao = descriptor.modules.find((m): m is AoModule => m.type === 'ao');
  return ao ? aoPrefixFor(ao, product) : aoPrefixForNamespace(descriptor.key);
}

export function dialectOf(dbUrl: string): Dialect {
  return parseDbUrl(dbUrl).dialect;
}

/** Loads every `ao` module's upgrade tasks, built for this product's table names and dialect. */
export function collectUpgradeTasks(descriptors: readonly PluginDescriptor[], product: Product, dbUrl: string): MigrationInterface[] {
  const dialect = dialectOf(dbUrl);
  const migrations: MigrationInterface[] = [];
  for (const descriptor of descriptors) {
    for (const module of descriptor.modules) {
      if (module.type !== 'ao') continue;
      const prefix = aoPrefixFor(module, product);
      let factory: unknown;
      try {
        factory = (require(module.upgradeTasks) as { upgradeTasks?: unknown }).upgradeTasks;
      } catch (err) {
        throw new PluginLoadError(`${descriptor.key}: cannot load upgrade tasks of "${module.key}" from ${module.upgradeTasks}: ${(err as Error).message}`, { cause: err });
      }
      if (typeof factory !== 'function') {
        throw new PluginLoadError(`${descriptor.key}: ${module.upgradeTasks} must export an "upgradeTasks" function`);
      }
      const tasks = (factory as AoUpgradeTaskFactory)({ dialect, tableName: (entity) => aoTableName(prefix, entity) });
      if (!Array.isArray(tasks)) throw new PluginLoadError(`${descriptor.key}: upgradeTasks of "${module.key}" must return a list of migrations`);
      migrations.push(...tasks);
    }
  }
  return migrations;
}
