import type { MikaBatchSize } from "@mika-maintenance/core";
import type { Kysely } from "kysely";
import type { MikaPostgresDatabase } from "../schema/tables.ts";

/** What every repository gets: the table-qualifying Kysely instance and sweep batch sizes. */
export interface PostgresRepositoryContext {
  db: Kysely<MikaPostgresDatabase>;
  /**
   * A batch size for one sweep: adaptive by default, fixed when the host set `batchSize`.
   * Each sweep keeps its own, so a slow table does not shrink the batches of a fast one.
   */
  newBatchSize(): MikaBatchSize;
  /** The table as messages name it: `<schema>.<prefix><table>`. */
  tableLabel(table: string): string;
}
