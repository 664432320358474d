import type {
  MikaAccountDeleteRequestRecord,
  MikaAccountExportRecord,
  MikaAcpSessionRecord,
  MikaCartRecord,
  MikaCustomerRecord,
  MikaEmailOutboxRecord,
  MikaEntitlementRecord,
  MikaEphemeralRecord,
  MikaLanePause,
  MikaLaneRunHour,
  MikaLaneRunRecord,
  MikaLaneState,
  MikaLeadershipLease,
  MikaLicenseRecord,
  MikaOrderRecord,
  MikaRuntimeHeartbeat,
  MikaStockItemRecord,
  MikaStockReservationRecord,
  MikaSubscriptionRecord,
  MikaWebhookEventRecord,
  MikaWorkflowRecord,
} from "@mika-maintenance/core";
import { MikaMemoryInputError } from "../errors.ts";

/** The row of every table the memory adapter keeps, by table name. */
export interface MemoryRows {
  emails: MikaEmailOutboxRecord;
  workflows: MikaWorkflowRecord;
  webhookEvents: MikaWebhookEventRecord;
  accountDeleteRequests: MikaAccountDeleteRequestRecord;
  accountExports: MikaAccountExportRecord;
  ephemeralRecords: MikaEphemeralRecord;
  stockItems: MikaStockItemRecord;
  stockReservations: MikaStockReservationRecord;
  customers: MikaCustomerRecord;
  subscriptions: MikaSubscriptionRecord;
  entitlements: MikaEntitlementRecord;
  licenses: MikaLicenseRecord;
  orders: MikaOrderRecord;
  carts: MikaCartRecord;
  acpSessions: MikaAcpSessionRecord;
  leadershipLeases: MikaLeadershipLease;
  heartbeats: MikaRuntimeHeartbeat;
  laneStates: MikaLaneState;
  laneRuns: MikaLaneRunRecord;
  /** Keyed by lane and hour start. */
  laneRunHours: MikaLaneRunHour;
  lanePauses: MikaLanePause;
}

/** The name of one memory table, as `dumpTables()` reports it. */
export type MikaMemoryTableName = keyof MemoryRows;

/** Every table, by name; each maps a primary key to its row. */
export type MemoryTables = { [Name in MikaMemoryTableName]: Map<string, MemoryRows[Name]> };

// Keyed by every table name, so the compiler refuses a table left out; the order is the dump's.
const DUMP_ORDER: Record<MikaMemoryTableName, true> = {
  emails: true,
  workflows: true,
  webhookEvents: true,
  accountDeleteRequests: true,
  accountExports: true,
  ephemeralRecords: true,
  stockItems: true,
  stockReservations: true,
  customers: true,
  subscriptions: true,
  entitlements: true,
  licenses: true,
  orders: true,
  carts: true,
  acpSessions: true,
  leadershipLeases: true,
  heartbeats: true,
  laneStates: true,
  laneRuns: true,
  laneRunHours: true,
  lanePauses: true,
};

/** The memory adapter's table names, in a stable order. */
export const MIKA_MEMORY_TABLE_NAMES: readonly MikaMemoryTableName[] = Object.keys(
  DUMP_ORDER,
) as MikaMemoryTableName[];

/** The store shared by every port of one adapter: its tables and its id source. */
export interface MemoryState {
  tables: MemoryTables;
  /** The given id, or a fresh one from the adapter's `createId`. */
  idFor(given: string | undefined, field: string): string;
}

/** Creates empty tables around an id source. */
export function createMemoryState(createId: () => string): MemoryState {
  const tables = Object.fromEntries(
    MIKA_MEMORY_TABLE_NAMES.map((name) => [name, new Map()]),
  ) as unknown as MemoryTables;
  return {
    tables,
    idFor(given, field) {
      const id = given ?? createId();
      if (typeof id !== "string" || id.length === 0) {
        throw new MikaMemoryInputError(
          given === undefined ? "createId" : field,
          given === undefined
            ? "createId must return a non-empty string."
            : `${field} must be a non-empty string.`,
        );
      }
      return id;
    },
  };
}
