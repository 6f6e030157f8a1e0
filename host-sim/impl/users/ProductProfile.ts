// What differs between the simulated products: group names and how new user keys look.
import { randomBytes } from 'node:crypto';
import type { Product } from '../../spi/plugin';
import type { SequenceService } from '../db/SequenceService';

/** Per-product user directory conventions. */
export interface ProductProfile {
  readonly product: Product;
  /** Members have SYSTEM_ADMIN (and therefore ADMINISTER and USE). */
  readonly sysadminGroup: string;
  /** Members have ADMINISTER (product admins) but not SYSTEM_ADMIN. */
  readonly adminGroup: string;
  /** Members have USE; the default group of new users. */
  readonly usersGroup: string;
  newUserKey(): Promise<string>;
}

export const JIRA_FIRST_USER_KEY_NUMBER = 10100;

export function productProfile(product: Product, sequences: SequenceService): ProductProfile {
  if (product === 'jira') {
    return {
      product,
      sysadminGroup: 'jira-administrators',
      adminGroup: 'jira-admins',
      usersGroup: 'jira-software-users',
      newUserKey: async () => `JIRAUSER${await sequences.next('jira.user.key', JIRA_FIRST_USER_KEY_NUMBER)}`,
    };
  }
  return {
    product,
    sysadminGroup: 'confluence-administrators',
    adminGroup: 'site-admins',
    usersGroup: 'confluence-users',
    newUserKey: async () => randomBytes(16).toString('hex'),
  };
}
