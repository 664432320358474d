import type { MikaBacklogFigure } from "@mika-maintenance/core";
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { MikaPostgresDatabase } from "../schema/tables.ts";
import { toIsoOrNull, toNumber } from "./convert.ts";

/** `count(*)` and `min(<reference time>)` of the rows `where` picks, as a backlog figure. */
export async function backlogFigure(
  db: Kysely<MikaPostgresDatabase>,
  table: keyof MikaPostgresDatabase,
  referenceTime: RawBuilder<unknown>,
  where: RawBuilder<boolean>,
): Promise<MikaBacklogFigure> {
  const { rows } = await sql<{ count: string | number; oldest: Date | string | null }>`
    select count(*) as count, min(${referenceTime}) as oldest
    from ${sql.table(table)} where ${where}
  `.execute(db);
  const row = rows[0];
  return { count: toNumber(row?.count ?? 0), oldestAt: toIsoOrNull(row?.oldest ?? null) };
}
