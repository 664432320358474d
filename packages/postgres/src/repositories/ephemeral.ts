import {
  MIKA_EPHEMERAL_KINDS,
  type MikaEphemeralKind,
  type MikaEphemeralRecord,
  type MikaEphemeralRepository,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { requireLimit, requireOneOf, requireTime } from "../input.ts";
import type { EphemeralRecordsTable } from "../schema/tables.ts";
import { runInBatches } from "./batches.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { toIso, toNumber } from "./convert.ts";
import { rowsLeft } from "./rows-left.ts";

function toRecord(row: Selectable<EphemeralRecordsTable>): MikaEphemeralRecord {
  return {
    kind: row.kind as MikaEphemeralKind,
    key: row.key,
    subjectHash: row.subject_hash,
    value: row.value,
    expiresAt: toIso(row.expires_at),
    createdAt: toIso(row.created_at),
  };
}

/** `repositories.ephemeral` over `<prefix>ephemeral_records`. */
export function createPostgresEphemeral({
  db,
  batchSize,
}: PostgresRepositoryContext): MikaEphemeralRepository {
  return {
    async putEphemeralRecord(input) {
      const row = await db
        .insertInto("ephemeral_records")
        .values({
          kind: requireOneOf(input.kind, MIKA_EPHEMERAL_KINDS, "kind"),
          key: input.key,
          subject_hash: input.subjectHash ?? null,
          value: input.value ?? null,
          expires_at: requireTime(input.expiresAt, "expiresAt"),
          created_at: requireTime(input.now, "now"),
        })
        .onConflict((conflict) =>
          conflict.columns(["kind", "key"]).doUpdateSet((eb) => ({
            subject_hash: eb.ref("excluded.subject_hash"),
            value: eb.ref("excluded.value"),
            expires_at: eb.ref("excluded.expires_at"),
            created_at: eb.ref("excluded.created_at"),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async getEphemeralRecord(input) {
      const row = await db
        .selectFrom("ephemeral_records")
        .selectAll()
        .where("kind", "=", requireOneOf(input.kind, MIKA_EPHEMERAL_KINDS, "kind"))
        .where("key", "=", input.key)
        .where("expires_at", ">", requireTime(input.now, "now"))
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async deleteEphemeralRecord(input) {
      const result = await db
        .deleteFrom("ephemeral_records")
        .where("kind", "=", requireOneOf(input.kind, MIKA_EPHEMERAL_KINDS, "kind"))
        .where("key", "=", input.key)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async purgeExpired(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit, "limit");
      const table = sql.table("ephemeral_records");
      const more = rowsLeft({
        table,
        where: sql`expires_at <= ${now}`,
        orderBy: sql`expires_at, kind, key`,
        excluding: sql`(kind, key) not in (select kind, key from purged)`,
      });
      const { count, hasMore } = await runInBatches(limit, batchSize, async (size) => {
        const { rows } = await sql<{ purged: string | number; more: boolean }>`
          with purged as (
            delete from ${table}
            where ctid = any(array(
              select ctid from ${table}
              where expires_at <= ${now}
              order by expires_at, kind, key
              limit ${size}
              for update skip locked
            ))
            returning kind, key
          )
          select (select count(*) from purged) as purged, ${more} as more
        `.execute(db);
        const row = rows[0];
        return { count: toNumber(row?.purged ?? 0), more: row?.more ?? false };
      });
      return { purged: count, hasMore };
    },

    async deleteTokensBySubjectHashes(input) {
      const subjectHashes = [...new Set(input.subjectHashes)];
      if (subjectHashes.length === 0) return 0;
      const result = await db
        .deleteFrom("ephemeral_records")
        .where(sql<boolean>`kind = 'token'`)
        .where("subject_hash", "in", subjectHashes)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
