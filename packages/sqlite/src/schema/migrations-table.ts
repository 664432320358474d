import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime } from "./columns.ts";

/** Which of the package's migrations a database has applied, and when. */
export function migrationsTable(prefix: string) {
  return sqliteTable(`${prefix}migrations`, {
    name: text("name").primaryKey(),
    appliedAt: isoTime("applied_at").notNull(),
  });
}
