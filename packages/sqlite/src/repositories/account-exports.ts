import {
  createRandomId,
  type MikaAccountExportPort,
  type MikaAccountExportRecord,
} from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import type { MikaSqliteDatabase } from "../database.ts";
import { optionalTime, requireOneOf, requireText, requireTime } from "../input.ts";
import { ACCOUNT_EXPORT_STATUSES } from "../statuses.ts";
import { insertRow, rowById } from "./rows.ts";
import { updateSubjectRows } from "./sql-helpers.ts";

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
      return insertRow(database, t, row);
    },

    async getAccountExport(exportId) {
      return rowById(database, t, exportId);
    },

    async redactAccountExportsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      // Exports carry no email hash, so only the customer and user identities can match.
      return updateSubjectRows(
        database,
        t,
        input,
        {
          status: "expired",
          expiresAt: now,
          artifactRef: null,
          downloadTokenHash: null,
          updatedAt: now,
        },
        sql`(${t.artifactRef} is not null or ${t.downloadTokenHash} is not null)`,
      );
    },
  };
}
