import type {
  MikaMalformedTable,
  MikaMalformedValueKind,
  MikaMalformedWrite,
} from "@mika-maintenance/adapter-tests";
import type { MikaMemoryAdapter } from "../src/index.ts";

const TABLES: Record<
  MikaMalformedTable,
  Parameters<MikaMemoryAdapter["writeStoredValue"]>[0]["table"]
> = {
  emailOutbox: "emails",
  accountDeleteRequests: "accountDeleteRequests",
  workflows: "workflows",
  webhookEvents: "webhookEvents",
  acpSessions: "acpSessions",
  stockReservations: "stockReservations",
  ephemeralRecords: "ephemeralRecords",
};

/** What a stray write could leave in a memory row for each kind the memory store can hold. */
const VALUES: Record<Exclude<MikaMalformedValueKind, "invalidJson">, unknown> = {
  jsonNotObject: "a JSON string",
  timeBeyondRange: "+275761-01-01T00:00:00.000Z",
  infiniteTime: "-infinity",
};

/** The memory store's backdoor writer for the malformed-row groups. */
export function writeMalformedValue(adapter: MikaMemoryAdapter, input: MikaMalformedWrite) {
  if (input.kind === "invalidJson") {
    throw new Error(
      "The memory store holds JSON values, never JSON text; it opts out of invalidJson.",
    );
  }
  const table = TABLES[input.table];
  // Ephemeral rows are keyed by kind and key; the groups only write nonces.
  const rowId = input.table === "ephemeralRecords" ? `nonce\u0000${input.rowId}` : input.rowId;
  adapter.writeStoredValue({ table, rowId, field: input.field, value: VALUES[input.kind] });
  return Promise.resolve({ table, column: input.field });
}
