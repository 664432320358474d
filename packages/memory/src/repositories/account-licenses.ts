import type { MikaAccountRepository, MikaLicenseRecord } from "@mika-maintenance/core";
import { copy, copyOrNull, insertRow } from "../database/rows.ts";
import { requireString, requireText, requireTime } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";
import { matchesErasureSubject } from "./erasure-subject.ts";

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
      const now = requireTime(input.now, "now");
      const id = state.idFor(input.id, "id");
      const license: MikaLicenseRecord = {
        id,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        keyHash: requireText(input.keyHash, "keyHash"),
        displaySuffix: requireString(input.displaySuffix, "displaySuffix"),
        status: "active",
        revokedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      return copy(insertRow(licenses, "licenses", id, license));
    },

    async getLicense(licenseId) {
      return copyOrNull(licenses.get(licenseId));
    },

    async anonymizeLicensesForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const sentinel = requireText(input.sentinel, "sentinel");
      let changed = 0;
      for (const license of licenses.values()) {
        const keyHash = redactedLicenseKeyHash(sentinel, license.id);
        // A license already carrying this erasure's key hash has no real key left.
        if (license.keyHash === keyHash || !matchesErasureSubject(license, input)) continue;
        license.keyHash = keyHash;
        license.displaySuffix = "redacted";
        license.status = "revoked";
        license.revokedAt = license.revokedAt ?? now;
        license.emailHash = sentinel;
        license.userId = sentinel;
        license.updatedAt = now;
        changed += 1;
      }
      return changed;
    },
  };
}
