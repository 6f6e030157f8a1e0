// The host's own schema (users, settings, cluster tables …): numbered upgrade tasks, run in
// order before any plugin's. Plugins' Active Objects schemas live in ao-schema/.
import type { MigrationInterface } from 'typeorm';
import { HostUpgradeTask001 } from './HostUpgradeTask001';
import { HostUpgradeTask002 } from './HostUpgradeTask002';
import { HostUpgradeTask003 } from './HostUpgradeTask003';
import { HostUpgradeTask004 } from './HostUpgradeTask004';
import { HostUpgradeTask005 } from './HostUpgradeTask005';
import { HostUpgradeTask006 } from './HostUpgradeTask006';
import { HostUpgradeTask007 } from './HostUpgradeTask007';
import { HostUpgradeTask008 } from './HostUpgradeTask008';

/** Fresh instances of every host migration, oldest first. */
export function hostMigrations(): MigrationInterface[] {
  return [
    new HostUpgradeTask001(), new HostUpgradeTask002(), new HostUpgradeTask003(),
    new HostUpgradeTask004(), new HostUpgradeTask005(), new HostUpgradeTask006(), new HostUpgradeTask007(),
    new HostUpgradeTask008(),
  ];
}
