import {
  createRandomId,
  type MikaAccountExportPort,
  type MikaAccountExportRecord,
  type MikaAccountExportStatus,
} from "@mika-maintenance/core";
import type { Selectable } from "kysely";
import { portInput } from "../input.ts";
import type { AccountExportsTable } from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { timestampsOf, toIsoOrNull } from "./convert.ts";
import { erasureMatch } from "./erasure.ts";
import { findById } from "./find-by-id.ts";

function toRecord(row: Selectable<AccountExportsTable>): MikaAccountExportRecord {
  return {
    id: row.id,
    customerId: row.customer_id,
    userId: row.user_id,
    status: row.status as MikaAccountExportStatus,
    artifactRef: row.artifact_ref,
    downloadTokenHash: row.download_token_hash,
    expiresAt: toIsoOrNull(row.expires_at),
    ...timestampsOf(row),
  };
}

/** The data-export part of `repositories.ops`, over `<prefix>account_exports`. */
export function createPostgresAccountExports({
  db,
}: PostgresRepositoryContext): MikaAccountExportPort {
  return {
    async createAccountExport(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .insertInto("account_exports")
        .values({
          id: input.id ?? createRandomId(),
          customer_id: input.customerId ?? null,
          user_id: input.userId ?? null,
          status: input.status ?? "pending",
          artifact_ref: input.artifactRef ?? null,
          download_token_hash: input.downloadTokenHash ?? null,
          expires_at: portInput.optionalTime(input.expiresAt, "expiresAt"),
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async getAccountExport(exportId) {
      const row = await findById(db, "account_exports", exportId);
      return row ? toRecord(row) : null;
    },

    async redactAccountExportsForAccountDelete(input) {
      if (!input.customerId && !input.userId) return 0;
      const now = portInput.requireTime(input.now, "now");
      const result = await db
        .updateTable("account_exports")
        .set({
          status: "expired",
          expires_at: now,
          artifact_ref: null,
          download_token_hash: null,
          updated_at: now,
        })
        .where((eb) =>
          eb.and([
            erasureMatch(eb, input, ["customer_id", "user_id"]),
            eb.or([eb("artifact_ref", "is not", null), eb("download_token_hash", "is not", null)]),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
