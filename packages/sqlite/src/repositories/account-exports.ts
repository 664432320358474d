import {
  createRandomId,
  type MikaAccountExportPort,
  type MikaAccountExportRecord,
} from "@mika-maintenance/core";
import { and, eq, sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import { optionalTime, requireOneOf, requireText, requireTime } from "../input.ts";
import { ACCOUNT_EXPORT_STATUSES } from "../statuses.ts";
import { changes, matchesSubject } from "./sql-helpers.ts";

/** The account-export part of `repositories.ops`, over `<prefix>account_exports`. */
export function createSqliteAccountExports(database: MikaSqliteDatabase): MikaAccountExportPort {
  const t = database.tables.accountExports;

  return {
    async createAccountExport(input) {
      const now = requireTime(input.now, "now");
      const row: MikaAccountExportRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        status: requireOneOf(input.status ?? "pending", ACCOUNT_EXPORT_STATUSES, "status"),
        artifactRef: input.artifactRef ?? null,
        downloadTokenHash: input.downloadTokenHash ?? null,
        expiresAt: optionalTime(input.expiresAt, "expiresAt"),
        createdAt: now,
        updatedAt: now,
      };
      return database.run(async (db) => (await db.insert(t).values(row).returning())[0]!);
    },

    async getAccountExport(exportId) {
      return database.run(async (db) => {
        const [row] = await db.select().from(t).where(eq(t.id, exportId));
        return row ?? null;
      });
    },

    async redactAccountExportsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      // Exports carry no email hash, so only the customer and user identities can match.
      const subject = matchesSubject(t, input);
      if (!subject) return 0;
      return database.run(async (db) => {
        const result = await db
          .update(t)
          .set({
            status: "expired",
            expiresAt: now,
            artifactRef: null,
            downloadTokenHash: null,
            updatedAt: now,
          })
          .where(
            and(subject, sql`(${t.artifactRef} is not null or ${t.downloadTokenHash} is not null)`),
          );
        return changes(result);
      });
    },
  };
}
