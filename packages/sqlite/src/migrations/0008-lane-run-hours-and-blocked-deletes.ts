import type { MikaSqliteMigration } from "./migration.ts";

/**
 * The hourly rollup of lane runs (written with each run, so a full day survives run pruning),
 * and an index for the blocked-erasure backlog (failed requests by when they failed).
 */
export const laneRunHoursAndBlockedDeletesMigration: MikaSqliteMigration = {
  name: "0008_lane_run_hours_and_blocked_deletes",
  up: (p) => [
    `CREATE TABLE IF NOT EXISTS "${p}lane_run_hours" (
      "lane" text NOT NULL,
      "hour_start" integer NOT NULL,
      "passes" integer NOT NULL,
      "moved" integer NOT NULL,
      "failures" integer NOT NULL,
      PRIMARY KEY ("lane", "hour_start")
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}lane_run_hours_hour_idx" ON "${p}lane_run_hours" ("hour_start", "lane")`,
    `CREATE INDEX IF NOT EXISTS "${p}account_delete_requests_failed_idx" ON "${p}account_delete_requests"
      ("failed_at") WHERE "status" = 'failed'`,
  ],
};
