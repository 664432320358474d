import { type Kysely, type Selectable, sql } from "kysely";
import type { MikaPostgresDatabase } from "../schema/tables.ts";

/** The tables whose primary key is one `id` column. */
type TableWithId = {
  [Name in keyof MikaPostgresDatabase]: MikaPostgresDatabase[Name] extends { id: unknown }
    ? Name
    : never;
}[keyof MikaPostgresDatabase];

/** The row of `table` whose `id` is `id`, as pg returns it, or `undefined` when there is none. */
export async function findById<Name extends TableWithId>(
  db: Kysely<MikaPostgresDatabase>,
  table: Name,
  id: string,
): Promise<Selectable<MikaPostgresDatabase[Name]> | undefined> {
  const { rows } = await sql<Selectable<MikaPostgresDatabase[Name]>>`
    select * from ${sql.table(table)} where id = ${id}
  `.execute(db);
  return rows[0];
}
