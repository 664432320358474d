import type { Kysely } from "kysely";
import type { MikaPostgresDatabase } from "../schema/tables.ts";

/** What every repository gets: the table-qualifying Kysely instance and the sweep batch size. */
export interface PostgresRepositoryContext {
  db: Kysely<MikaPostgresDatabase>;
  /** Rows per transaction in maintenance sweeps. */
  batchSize: number;
  /** The table as messages name it: `<schema>.<prefix><table>`. */
  tableLabel(table: string): string;
}
