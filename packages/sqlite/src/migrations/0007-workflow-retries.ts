import type { MikaSqliteMigration } from "./migration.ts";

/**
 * What `webhookRetries` needs on workflows: the subject a retry acts on (the stored webhook),
 * when the next retry is due, and a partial index for the due scan by kind. Only nullable
 * columns are added, so existing rows keep their data and are never retried by maintenance.
 */
export const workflowRetriesMigration: MikaSqliteMigration = {
  name: "0007_workflow_retries",
  up: (p) => [
    `ALTER TABLE "${p}workflows" ADD COLUMN "subject_id" text`,
    `ALTER TABLE "${p}workflows" ADD COLUMN "next_attempt_at" integer`,
    `CREATE INDEX IF NOT EXISTS "${p}workflows_retry_due_idx" ON "${p}workflows" ("name", "next_attempt_at", "id") WHERE "next_attempt_at" IS NOT NULL AND "status" IN ('queued', 'running')`,
  ],
};
