import { type Kysely, sql } from "kysely";
import type { MikaTableLocation } from "../schema/table-names.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not follow later table types.
type Db = Kysely<any>;

/**
 * The hourly rollup of lane runs (written with each run, so a full day survives run pruning),
 * and an index for the blocked-erasure backlog (failed requests by when they failed).
 */
export function laneRunHoursAndBlockedDeletesMigration(location: MikaTableLocation) {
  const index = (suffix: string) => sql.id(`${location.tablePrefix}${suffix}`);
  return {
    async up(db: Db): Promise<void> {
      await db.schema
        .createTable("lane_run_hours")
        .addColumn("lane", "text", (c) => c.notNull())
        .addColumn("hour_start", "timestamptz", (c) => c.notNull())
        .addColumn("passes", "bigint", (c) => c.notNull())
        .addColumn("moved", "bigint", (c) => c.notNull())
        .addColumn("failures", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint(`${location.tablePrefix}lane_run_hours_pkey`, [
          "lane",
          "hour_start",
        ])
        .execute();
      await sql`create index ${index("lane_run_hours_hour_idx")} on ${sql.table("lane_run_hours")} (hour_start, lane)`.execute(
        db,
      );
      await sql`create index ${index("account_delete_failed_idx")} on ${sql.table("account_delete_requests")} (failed_at) where status = 'failed'`.execute(
        db,
      );
    },
  };
}
