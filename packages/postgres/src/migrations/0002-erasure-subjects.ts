import { type Kysely, sql } from "kysely";
import type { MikaTableLocation } from "../schema/table-names.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not follow later table types.
type Db = Kysely<any>;

const SUBJECT_COLUMNS = ["customer_id", "user_id", "email_hash"] as const;

/**
 * Links workflows, webhook events and ACP sessions to the person they are about, so an erasure
 * can find them (docs/decisions/0011-erasure-reaches-workflows-webhooks-and-acp-sessions.md).
 * Only nullable columns without defaults are added (no table rewrite, existing rows keep their
 * data); the indexes hold only rows an erasure can still change.
 */
export function erasureSubjectsMigration(location: MikaTableLocation) {
  const index = (suffix: string) => sql.id(`${location.tablePrefix}${suffix}`);

  return {
    async up(db: Db): Promise<void> {
      for (const table of ["workflows", "webhook_events", "acp_sessions"]) {
        let alter = db.schema.alterTable(table).addColumn("customer_id", "text");
        alter = alter.addColumn("user_id", "text").addColumn("email_hash", "text");
        if (table !== "acp_sessions") alter = alter.addColumn("redacted_at", "timestamptz");
        await alter.execute();
        const unredacted = table === "acp_sessions" ? sql`` : sql` where redacted_at is null`;
        for (const column of SUBJECT_COLUMNS) {
          await sql`create index ${index(`${table}_${column}_idx`)} on ${sql.table(table)} (${sql.ref(column)})${unredacted}`.execute(
            db,
          );
        }
      }
    },
  };
}
