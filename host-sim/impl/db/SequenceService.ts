// Cluster-safe named counters (user keys, issue numbers) in HOST_SEQUENCE: one atomic
// statement per number, so two nodes never hand out the same value.
import type { Database } from './Database';

export class SequenceService {
  constructor(private readonly db: Database) {}

  /** The next value of `name`; the first value handed out is `start`. */
  async next(name: string, start = 1): Promise<number> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const value = await this.increment(name);
      if (value !== null) return value;
      await this.db.execute(this.db.sql.insertIgnore('HOST_SEQUENCE', ['SEQ_NAME', 'NEXT_VALUE']), [name, start - 1]);
    }
    throw new Error(`Sequence ${name} could not be created`);
  }

  private async increment(name: string): Promise<number | null> {
    if (this.db.dialect === 'mysql') {
      // LAST_INSERT_ID(expr) hands the new value back in the OK packet of the same statement.
      const res = await this.db.execute(
        'UPDATE HOST_SEQUENCE SET NEXT_VALUE = LAST_INSERT_ID(NEXT_VALUE + 1) WHERE SEQ_NAME = ?', [name]);
      return res.affected === 1 ? res.insertId : null;
    }
    const rows = await this.db.query<{ NEXT_VALUE: number }>(
      'UPDATE HOST_SEQUENCE SET NEXT_VALUE = NEXT_VALUE + 1 WHERE SEQ_NAME = ? RETURNING NEXT_VALUE', [name]);
    return rows.length === 1 ? Number(rows[0].NEXT_VALUE) : null;
  }
}
