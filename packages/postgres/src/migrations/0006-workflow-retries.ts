import { type Kysely, sql } from "kysely";
import type { MikaTableLocation } from "../schema/table-names.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not follow later table types.
type Db = Kysely<any>;

/**
 * What `webhookRetries` needs on workflows: the subject a retry acts on (the stored webhook),
 * when the next retry is due, and a partial index for the due scan by kind. Existing rows keep
 * every value and get `null` for both (never retried by maintenance).
 */
export function workflowRetriesMigration(location: MikaTableLocation) {
  const index = (suffix: string) => sql.id(`${location.tablePrefix}${suffix}`);
  return {
    async up(db: Db): Promise<void> {
      await db.schema
        .alterTable("workflows")
        .addColumn("subject_id", "text")
        .addColumn("next_attempt_at", "timestamptz")
        .execute();
      await sql`create index ${index("workflows_retry_due_idx")} on ${sql.table("workflows")} (name, next_attempt_at, id) where next_attempt_at is not null and status in ('queued', 'running')`.execute(
        db,
      );
    },
  };
}
