// The `greeting-store` ao module's schema: numbered upgrade tasks (TypeORM migrations with `up`
// and `down`), built for the table name the host assigns: AO_<6 hex of MD5("com.example.hello")>_GREETING.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { AoUpgradeTaskFactory } from '../../../host-sim/spi';

/**
 * A migration's name must be unique in the host database and end with a 13-digit timestamp, by
 * which TypeORM orders migrations; the table name is part of it, so every product gets its own.
 */
function taskName(task: string, table: string, timestamp: string): string {
  return `${task}${table.replace(/[^A-Za-z0-9]/g, '')}${timestamp}`;
}

/** Task 1: the table. Column names are upper snake case, as Active Objects names them. */
class GreetingUpgradeTask001 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string) {
    this.name = taskName('HelloGreetingUpgradeTask001', table, '1800000000001');
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(new Table({
      name: this.table,
      columns: [
        { name: 'ID', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'FROM_KEY', type: 'varchar', length: '255', isNullable: false },
        { name: 'TO_KEY', type: 'varchar', length: '255', isNullable: false },
        { name: 'TEXT', type: 'varchar', length: '255', isNullable: false },
        { name: 'CREATED', type: 'bigint', isNullable: false },
      ],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(this.table);
  }
}

/** Task 2, added in a later version: an index for "my greetings, newest first". Never edit a released task; add one. */
class GreetingUpgradeTask002 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string) {
    this.name = taskName('HelloGreetingUpgradeTask002', table, '1800000000002');
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(this.table, new TableIndex({ name: `IX_${this.table}_TO_KEY`, columnNames: ['TO_KEY', 'CREATED'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex(this.table, `IX_${this.table}_TO_KEY`);
  }
}

export const upgradeTasks: AoUpgradeTaskFactory = (naming) => [
  new GreetingUpgradeTask001(naming.tableName('Greeting')),
  new GreetingUpgradeTask002(naming.tableName('Greeting')),
];
