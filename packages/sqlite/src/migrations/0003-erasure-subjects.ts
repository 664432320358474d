import type { MikaSqliteMigration } from "./migration.ts";

const SUBJECT_TABLES = ["workflows", "webhook_events", "acp_sessions"] as const;

/**
 * Links workflows, webhook events and ACP sessions to the person they are about, so an erasure
 * can find them (docs/decisions/0011-erasure-reaches-workflows-webhooks-and-acp-sessions.md).
 * Only nullable columns are added, so existing rows stay valid and keep their data; rows
 * written before it carry no subject and are reached by retention instead.
 */
export const erasureSubjectsMigration: MikaSqliteMigration = {
  name: "0003_erasure_subjects",
  up: (p) => [
    ...SUBJECT_TABLES.flatMap((table) => [
      `ALTER TABLE "${p}${table}" ADD COLUMN "customer_id" text`,
      `ALTER TABLE "${p}${table}" ADD COLUMN "user_id" text`,
      `ALTER TABLE "${p}${table}" ADD COLUMN "email_hash" text`,
    ]),
    `ALTER TABLE "${p}workflows" ADD COLUMN "redacted_at" integer`,
    `ALTER TABLE "${p}webhook_events" ADD COLUMN "redacted_at" integer`,
    ...SUBJECT_TABLES.flatMap((table) =>
      ["customer_id", "user_id", "email_hash"].map(
        (column) =>
          `CREATE INDEX IF NOT EXISTS "${p}${table}_${column.replace("_id", "")}_idx" ON "${p}${table}" ("${column}")`,
      ),
    ),
  ],
};
