// `@mika-maintenance/libsql/schema`: the drizzle tables, for hosts that manage their schema
// with drizzle-kit. Importing it opens nothing.
import { createMikaSqliteSchema, type MikaSqliteSchema } from "./schema/create-schema.ts";

export { fromStoredTime, isoTime, jsonText, toStoredTime } from "./schema/columns.ts";
export { createMikaSqliteSchema, type MikaSqliteSchema } from "./schema/create-schema.ts";

/** The tables with the default `mika_` prefix, one export per table so drizzle-kit finds them. */
export const mikaSqliteSchema: MikaSqliteSchema = createMikaSqliteSchema();

export const {
  emailOutbox: mikaEmailOutbox,
  workflows: mikaWorkflows,
  webhookEvents: mikaWebhookEvents,
  accountDeleteRequests: mikaAccountDeleteRequests,
  accountExports: mikaAccountExports,
  customers: mikaCustomers,
  subscriptions: mikaSubscriptions,
  entitlements: mikaEntitlements,
  licenses: mikaLicenses,
  orders: mikaOrders,
  carts: mikaCarts,
  stockItems: mikaStockItems,
  stockReservations: mikaStockReservations,
  ephemeralRecords: mikaEphemeralRecords,
  acpSessions: mikaAcpSessions,
  leadershipLeases: mikaLeadershipLeases,
  runtimeHeartbeats: mikaRuntimeHeartbeats,
  laneStates: mikaLaneStates,
  laneRuns: mikaLaneRuns,
  lanePauses: mikaLanePauses,
  migrations: mikaMigrations,
} = mikaSqliteSchema;
