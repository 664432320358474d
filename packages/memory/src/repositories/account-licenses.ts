import type { MikaAccountRepository } from "@mika-maintenance/core";
import { insertNew, readById } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { eraseSubjectRows, subjectColumns } from "./erasure-subject.ts";

type LicenseMethods = Pick<
  MikaAccountRepository,
  "createLicense" | "getLicense" | "anonymizeLicensesForAccountDelete"
>;

/** The key hash an erasure leaves on a license. */
export function redactedLicenseKeyHash(sentinel: string, licenseId: string): string {
  return `${sentinel}:${licenseId}`;
}

/** Licenses of `repositories.account`. */
export function createMemoryLicenses(state: MemoryState): LicenseMethods {
  const licenses = state.tables.licenses;

  return {
    async createLicense(input) {
      return insertNew(state, "licenses", input, (id) => ({
        id,
        ...subjectColumns(input),
        keyHash: portInput.requireText(input.keyHash, "keyHash"),
        displaySuffix: portInput.requireString(input.displaySuffix, "displaySuffix"),
        status: "active" as const,
        revokedAt: null,
      }));
    },

    getLicense: readById(licenses),

    async anonymizeLicensesForAccountDelete(input) {
      const now = portInput.requireTime(input.now, "now");
      const sentinel = portInput.requireText(input.sentinel, "sentinel");
      return eraseSubjectRows(
        licenses.values(),
        input,
        // A license already carrying this erasure's key hash has no real key left.
        (license) => license.keyHash !== redactedLicenseKeyHash(sentinel, license.id),
        (license) => {
          license.keyHash = redactedLicenseKeyHash(sentinel, license.id);
          license.displaySuffix = "redacted";
          license.status = "revoked";
          license.revokedAt = license.revokedAt ?? now;
          license.emailHash = sentinel;
          license.userId = sentinel;
          license.updatedAt = now;
        },
      );
    },
  };
}
