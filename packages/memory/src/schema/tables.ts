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

/** Every table the memory adapter keeps, by name; each maps a primary key to its row. */
export interface MemoryTables {
  emails: Map<string, MikaEmailOutboxRecord>;
  workflows: Map<string, MikaWorkflowRecord>;
  webhookEvents: Map<string, MikaWebhookEventRecord>;
  accountDeleteRequests: Map<string, MikaAccountDeleteRequestRecord>;
  accountExports: Map<string, MikaAccountExportRecord>;
  ephemeralRecords: Map<string, MikaEphemeralRecord>;
  stockItems: Map<string, MikaStockItemRecord>;
  stockReservations: Map<string, MikaStockReservationRecord>;
  customers: Map<string, MikaCustomerRecord>;
  subscriptions: Map<string, MikaSubscriptionRecord>;
  entitlements: Map<string, MikaEntitlementRecord>;
  licenses: Map<string, MikaLicenseRecord>;
  orders: Map<string, MikaOrderRecord>;
  carts: Map<string, MikaCartRecord>;
  acpSessions: Map<string, MikaAcpSessionRecord>;
  leadershipLeases: Map<string, MikaLeadershipLease>;
  heartbeats: Map<string, MikaRuntimeHeartbeat>;
  laneStates: Map<string, MikaLaneState>;
  laneRuns: Map<string, MikaLaneRunRecord>;
  lanePauses: Map<string, MikaLanePause>;
}

/** The name of one memory table, as `dumpTables()` reports it. */
export type MikaMemoryTableName = keyof MemoryTables;

/** The memory adapter's table names, in a stable order. */
export const MIKA_MEMORY_TABLE_NAMES: readonly MikaMemoryTableName[] = [
  "emails",
  "workflows",
  "webhookEvents",
  "accountDeleteRequests",
  "accountExports",
  "ephemeralRecords",
  "stockItems",
  "stockReservations",
  "customers",
  "subscriptions",
  "entitlements",
  "licenses",
  "orders",
  "carts",
  "acpSessions",
  "leadershipLeases",
  "heartbeats",
  "laneStates",
  "laneRuns",
  "lanePauses",
];

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
