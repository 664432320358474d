import type { MikaAccountExportPort, MikaAccountExportRecord } from "@mika-maintenance/core";
import { copy, copyOrNull, insertRow } from "../database/rows.ts";
import { optionalTime, requireOneOf, requireTime } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { ACCOUNT_EXPORT_STATUSES } from "../statuses.ts";
import { matchesErasureSubject } from "./erasure-subject.ts";

/** The account-export part of `repositories.ops`. */
export function createMemoryAccountExports(state: MemoryState): MikaAccountExportPort {
  const exports = state.tables.accountExports;

  return {
    async createAccountExport(input) {
      const now = requireTime(input.now, "now");
      const id = state.idFor(input.id, "id");
      const row: MikaAccountExportRecord = {
        id,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        status: requireOneOf(input.status ?? "pending", ACCOUNT_EXPORT_STATUSES, "status"),
        artifactRef: input.artifactRef ?? null,
        downloadTokenHash: input.downloadTokenHash ?? null,
        expiresAt: optionalTime(input.expiresAt, "expiresAt"),
        createdAt: now,
        updatedAt: now,
      };
      return copy(insertRow(exports, "accountExports", id, row));
    },

    async getAccountExport(exportId) {
      return copyOrNull(exports.get(exportId));
    },

    async redactAccountExportsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      // Exports carry no email hash, so only the customer and user identities can match.
      const subject = { customerId: input.customerId, userId: input.userId, emailHash: null };
      let changed = 0;
      for (const row of exports.values()) {
        if (row.artifactRef === null && row.downloadTokenHash === null) continue;
        if (!matchesErasureSubject(row, subject)) continue;
        row.status = "expired";
        row.expiresAt = now;
        row.artifactRef = null;
        row.downloadTokenHash = null;
        row.updatedAt = now;
        changed += 1;
      }
      return changed;
    },
  };
}
