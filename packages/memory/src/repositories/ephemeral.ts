import {
  MIKA_EPHEMERAL_KINDS,
  type MikaEphemeralRecord,
  type MikaEphemeralRepository,
} from "@mika-maintenance/core";
import { copy, sortRows, takeBatch } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";

function rowKey(kind: string, key: string): string {
  return `${kind}\u0000${key}`;
}

/** `repositories.ephemeral` over the memory tables. */
export function createMemoryEphemeral(state: MemoryState): MikaEphemeralRepository {
  const records = state.tables.ephemeralRecords;

  return {
    async putEphemeralRecord(input) {
      const kind = portInput.requireOneOf(input.kind, MIKA_EPHEMERAL_KINDS, "kind");
      const key = portInput.requireText(input.key, "key");
      const row: MikaEphemeralRecord = {
        kind,
        key,
        subjectHash: input.subjectHash ?? null,
        value: input.value ?? null,
        expiresAt: portInput.requireTime(input.expiresAt, "expiresAt"),
        createdAt: portInput.requireTime(input.now, "now"),
      };
      records.set(rowKey(kind, key), row);
      return copy(row);
    },

    async getEphemeralRecord(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = records.get(rowKey(input.kind, input.key));
      return row && row.expiresAt > now ? copy(row) : null;
    },

    async deleteEphemeralRecord(input) {
      return records.delete(rowKey(input.kind, input.key));
    },

    async purgeExpired(input) {
      const now = portInput.requireTime(input.now, "now");
      const limit = portInput.requireLimit(input.limit);
      const expired = sortRows(
        [...records.values()].filter((row) => row.expiresAt <= now),
        (row) => [row.expiresAt, row.kind, row.key],
      );
      const { batch, hasMore } = takeBatch(expired, limit);
      for (const row of batch) records.delete(rowKey(row.kind, row.key));
      return { purged: batch.length, hasMore };
    },

    async deleteTokensBySubjectHashes(input) {
      const subjects = new Set(input.subjectHashes);
      let deleted = 0;
      for (const [key, row] of records) {
        if (row.kind === "token" && row.subjectHash !== null && subjects.has(row.subjectHash)) {
          records.delete(key);
          deleted += 1;
        }
      }
      return deleted;
    },
  };
}
