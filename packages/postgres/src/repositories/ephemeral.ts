import {
  MIKA_EPHEMERAL_KINDS,
  type MikaEphemeralKind,
  type MikaEphemeralRecord,
  type MikaEphemeralRepository,
} from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type { EphemeralRecordsTable } from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { toIso } from "./convert.ts";
import { sweep } from "./sweep.ts";

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
  newBatchSize,
}: PostgresRepositoryContext): MikaEphemeralRepository {
  const table = sql.table("ephemeral_records");
  const purgeBatchSize = newBatchSize();
  return {
    async putEphemeralRecord(input) {
      const row = await db
        .insertInto("ephemeral_records")
        .values({
          kind: portInput.requireOneOf(input.kind, MIKA_EPHEMERAL_KINDS, "kind"),
          key: input.key,
          subject_hash: input.subjectHash ?? null,
          value: input.value ?? null,
          expires_at: portInput.requireTime(input.expiresAt, "expiresAt"),
          created_at: portInput.requireTime(input.now, "now"),
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
        .where("kind", "=", portInput.requireOneOf(input.kind, MIKA_EPHEMERAL_KINDS, "kind"))
        .where("key", "=", input.key)
        .where("expires_at", ">", portInput.requireTime(input.now, "now"))
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async deleteEphemeralRecord(input) {
      const result = await db
        .deleteFrom("ephemeral_records")
        .where("kind", "=", portInput.requireOneOf(input.kind, MIKA_EPHEMERAL_KINDS, "kind"))
        .where("key", "=", input.key)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async purgeExpired(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit, "limit");
      // By ctid, with no row lock: a record re-put (a new expiry) since the pick has a new
      // ctid and is left alone.
      const { count, hasMore } = await sweep(
        db,
        {
          table,
          where: sql`expires_at <= ${now}`,
          orderBy: sql`expires_at, kind, key`,
          pick: "by-ctid",
        },
        limit,
        purgeBatchSize,
      );
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
