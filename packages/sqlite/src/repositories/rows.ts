import { eq } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { MikaSqliteDatabase } from "../database.ts";

/** A table whose primary key is a text `id`. */
type TableWithId = SQLiteTable & { id: SQLiteColumn };

/** The row of `table` with primary key `id`, as stored (times and JSON decoded), or null. */
export function rowById<T extends TableWithId>(
  database: MikaSqliteDatabase,
  table: T,
  id: string,
): Promise<T["$inferSelect"] | null> {
  return database.run(async (db) => {
    const [row] = await db
      .select()
      .from(table as SQLiteTable)
      .where(eq(table.id, id));
    return (row ?? null) as T["$inferSelect"] | null;
  });
}

/** Inserts one validated row and returns it as stored. */
export function insertRow<T extends SQLiteTable>(
  database: MikaSqliteDatabase,
  table: T,
  row: T["$inferInsert"],
): Promise<T["$inferSelect"]> {
  return database.run(
    async (db) => (await db.insert(table).values(row).returning())[0] as T["$inferSelect"],
  );
}
