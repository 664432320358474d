import type { MikaSqliteMigration } from "./migration.ts";

/**
 * Lane pauses an operator sets from the dashboard (honoured by every replica), and an index
 * on the runs' start so the dashboard's bounded history reads one range, not every lane.
 */
export const lanePausesAndRunHistoryMigration: MikaSqliteMigration = {
  name: "0005_lane_pauses_and_run_history",
  up: (p) => [
    `CREATE TABLE IF NOT EXISTS "${p}lane_pauses" (
      "lane" text PRIMARY KEY NOT NULL,
      "paused_at" integer NOT NULL,
      "paused_by" text NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}lane_runs_started_idx" ON "${p}lane_runs" ("started_at", "id")`,
  ],
};
