import {
  MIKA_EPHEMERAL_KINDS,
  type MikaEphemeralRecord,
  type MikaEphemeralRepository,
} from "@mika-maintenance/core";
import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import { requireLimit, requireOneOf, requireText, requireTime } from "../input.ts";
import { changes } from "./sql-helpers.ts";
import { newSweepBatchSize, sweep } from "./sweep.ts";

/** `repositories.ephemeral` over `<prefix>ephemeral_records`. */
export function createSqliteEphemeral(database: MikaSqliteDatabase): MikaEphemeralRepository {
  const t = database.tables.ephemeralRecords;
  const purgeBatchSize = newSweepBatchSize();

  return {
    async putEphemeralRecord(input) {
      const row: MikaEphemeralRecord = {
        kind: requireOneOf(input.kind, MIKA_EPHEMERAL_KINDS, "kind"),
        key: requireText(input.key, "key"),
        subjectHash: input.subjectHash ?? null,
        value: input.value ?? null,
        expiresAt: requireTime(input.expiresAt, "expiresAt"),
        createdAt: requireTime(input.now, "now"),
      };
      return database.run(async (db) => {
        const [stored] = await db
          .insert(t)
          .values(row)
          .onConflictDoUpdate({
            target: [t.kind, t.key],
            set: {
              subjectHash: row.subjectHash,
              value: row.value,
              expiresAt: row.expiresAt,
              createdAt: row.createdAt,
            },
          })
          .returning();
        return stored!;
      });
    },

    async getEphemeralRecord(input) {
      const now = requireTime(input.now, "now");
      return database.run(async (db) => {
        const [row] = await db
          .select()
          .from(t)
          .where(and(eq(t.kind, input.kind), eq(t.key, input.key), gt(t.expiresAt, now)));
        return row ?? null;
      });
    },

    async deleteEphemeralRecord(input) {
      return database.run(async (db) => {
        const result = await db.delete(t).where(and(eq(t.kind, input.kind), eq(t.key, input.key)));
        return changes(result) > 0;
      });
    },

    async purgeExpired(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit);
      const { count, hasMore } = await sweep(
        database,
        { table: t, where: lte(t.expiresAt, now), orderBy: [asc(t.expiresAt)] },
        limit,
        purgeBatchSize,
      );
      return { purged: count, hasMore };
    },

    async deleteTokensBySubjectHashes(input) {
      const subjectHashes = [...new Set(input.subjectHashes)];
      if (subjectHashes.length === 0) return 0;
      return database.run(async (db) => {
        const result = await db
          .delete(t)
          .where(and(sql`${t.kind} = 'token'`, inArray(t.subjectHash, subjectHashes)));
        return changes(result);
      });
    },
  };
}
