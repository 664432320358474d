import { type Kysely, sql } from "kysely";
import type { MikaTableLocation } from "../schema/table-names.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not follow later table types.
type Db = Kysely<any>;

/**
 * Lane pauses an operator sets from the dashboard (honoured by every replica), and an index
 * on the runs' start so the dashboard's bounded history reads one range, not every lane.
 */
export function lanePausesAndRunHistoryMigration(location: MikaTableLocation) {
  const index = (suffix: string) => sql.id(`${location.tablePrefix}${suffix}`);
  return {
    async up(db: Db): Promise<void> {
      await db.schema
        .createTable("lane_pauses")
        .addColumn("lane", "text", (c) => c.primaryKey())
        .addColumn("paused_at", "timestamptz", (c) => c.notNull())
        .addColumn("paused_by", "text", (c) => c.notNull())
        .execute();
      await sql`create index ${index("lane_runs_started_idx")} on ${sql.table("lane_runs")} (started_at desc, id desc)`.execute(
        db,
      );
    },
  };
}
