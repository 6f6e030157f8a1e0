import type { AoUpgradeTaskFactory } from '../../host-sim/spi';
import { TokenUpgradeTask001 } from './TokenUpgradeTask001';
import { TokenUpgradeTask002 } from './TokenUpgradeTask002';
import { TokenUpgradeTask003 } from './TokenUpgradeTask003';
import { TokenUpgradeTask004 } from './TokenUpgradeTask004';
import { TokenUpgradeTask005 } from './TokenUpgradeTask005';
import { TokenUpgradeTask006 } from './TokenUpgradeTask006';
import { TokenUpgradeTask007 } from './TokenUpgradeTask007';
import { TokenUpgradeTask008 } from './TokenUpgradeTask008';
import { TokenUpgradeTask009 } from './TokenUpgradeTask009';
import { TokenUpgradeTask010 } from './TokenUpgradeTask010';
import { TokenUpgradeTask011 } from './TokenUpgradeTask011';

/** The `token-store` ao module's upgrade tasks, in order. */
export const upgradeTasks: AoUpgradeTaskFactory = (naming) => [
  new TokenUpgradeTask001(naming.tableName('Token')),
  new TokenUpgradeTask002(naming.tableName('Token'), naming.dialect),
  new TokenUpgradeTask003(naming.tableName('Token'), naming.dialect),
  new TokenUpgradeTask004(naming.tableName('Token'), naming.dialect),
  new TokenUpgradeTask005(naming.tableName('Token'), naming.dialect),
  new TokenUpgradeTask006(naming.tableName('Token'), naming.dialect),
  new TokenUpgradeTask007(naming.tableName('RetiredSecret')),
  new TokenUpgradeTask008(naming.tableName('Token')),
  new TokenUpgradeTask009(naming.tableName('Token')),
  new TokenUpgradeTask010(naming.tableName('Token')),
  new TokenUpgradeTask011(naming.tableName('Token')),
];
