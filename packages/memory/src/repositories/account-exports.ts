import type { MikaAccountExportPort } from "@mika-maintenance/core";
import { MIKA_ACCOUNT_EXPORT_STATUSES } from "@mika-maintenance/core";
import { insertNew, readById } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { eraseSubjectRows } from "./erasure-subject.ts";

/** The account-export part of `repositories.ops`. */
export function createMemoryAccountExports(state: MemoryState): MikaAccountExportPort {
  const exports = state.tables.accountExports;

  return {
    async createAccountExport(input) {
      return insertNew(state, "accountExports", input, (id) => ({
        id,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        status: portInput.requireOneOf(
          input.status ?? "pending",
          MIKA_ACCOUNT_EXPORT_STATUSES,
          "status",
        ),
        artifactRef: input.artifactRef ?? null,
        downloadTokenHash: input.downloadTokenHash ?? null,
        expiresAt: portInput.optionalTime(input.expiresAt, "expiresAt"),
      }));
    },

    getAccountExport: readById(exports),

    async redactAccountExportsForAccountDelete(input) {
      const now = portInput.requireTime(input.now, "now");
      // Exports carry no email hash, so only the customer and user identities can match.
      const subject = { customerId: input.customerId, userId: input.userId, emailHash: null };
      return eraseSubjectRows(
        exports.values(),
        subject,
        (row) => row.artifactRef !== null || row.downloadTokenHash !== null,
        (row) => {
          row.status = "expired";
          row.expiresAt = now;
          row.artifactRef = null;
          row.downloadTokenHash = null;
          row.updatedAt = now;
        },
      );
    },
  };
}
