// The plugin's storage layer: Active Objects rows in, value objects out (rows never leave it).
import type { ActiveObjects, AoRow } from '../../host-sim/spi';

export interface Greeting {
  readonly id: number;
  readonly fromKey: string;
  readonly toKey: string;
  readonly text: string;
  /** Host clock time, epoch millis. */
  readonly created: number;
}

function toGreeting(row: AoRow): Greeting {
  return { id: Number(row.ID), fromKey: String(row.FROM_KEY), toKey: String(row.TO_KEY), text: String(row.TEXT), created: Number(row.CREATED) };
}

/** Greetings in the `Greeting` entity's table (`AO_…_GREETING`, see ao/upgradeTasks.ts). */
export class GreetingStore {
  constructor(private readonly ao: ActiveObjects) {}

  async add(greeting: Omit<Greeting, 'id'>): Promise<Greeting> {
    const row = await this.ao.create('Greeting', { FROM_KEY: greeting.fromKey, TO_KEY: greeting.toKey, TEXT: greeting.text, CREATED: greeting.created });
    return toGreeting(row);
  }

  /** The newest greetings a user received (served by the index of upgrade task 2). */
  async receivedBy(userKey: string, limit = 50): Promise<Greeting[]> {
    const rows = await this.ao.find('Greeting', { where: 'TO_KEY = ?', params: [userKey], order: 'CREATED DESC, ID DESC', limit });
    return rows.map(toGreeting);
  }

  /** Deletes greetings created before `cutoff`; returns how many. */
  deleteOlderThan(cutoff: number): Promise<number> {
    return this.ao.deleteWithSQL('Greeting', 'CREATED < ?', [cutoff]);
  }
}
