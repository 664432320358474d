// `@mika-maintenance/sqlite/schema` (re-exported as `@mika-maintenance/libsql/schema` and `@mika-maintenance/d1/schema`): the drizzle tables, for hosts that manage their schema
// with drizzle-kit. Importing it opens nothing.
import { createMikaSqliteSchema, type MikaSqliteSchema } from "./schema/create-schema.ts";

export { fromStoredTime, isoTime, jsonText, toStoredTime } from "./schema/columns.ts";
export { createMikaSqliteSchema, type MikaSqliteSchema } from "./schema/create-schema.ts";

/** The tables with the default `mika_` prefix, one export per table so drizzle-kit finds them. */
export const mikaSqliteSchema: MikaSqliteSchema = createMikaSqliteSchema();

// One export per table (default `mika_` prefix) so drizzle-kit finds them.
/** The `emailOutbox` table: the email outbox (queued, leased, sent and failed emails). */
export const mikaEmailOutbox: MikaSqliteSchema["emailOutbox"] = mikaSqliteSchema.emailOutbox;
/** The `workflows` table: leased background workflows. */
export const mikaWorkflows: MikaSqliteSchema["workflows"] = mikaSqliteSchema.workflows;
/** The `webhookEvents` table: received webhook events and their retained raw payloads. */
export const mikaWebhookEvents: MikaSqliteSchema["webhookEvents"] = mikaSqliteSchema.webhookEvents;
/** The `accountDeleteRequests` table: GDPR account-delete requests and their step progress. */
export const mikaAccountDeleteRequests: MikaSqliteSchema["accountDeleteRequests"] =
  mikaSqliteSchema.accountDeleteRequests;
/** The `accountExports` table: personal-data exports. */
export const mikaAccountExports: MikaSqliteSchema["accountExports"] =
  mikaSqliteSchema.accountExports;
/** The `customers` table: customers. */
export const mikaCustomers: MikaSqliteSchema["customers"] = mikaSqliteSchema.customers;
/** The `subscriptions` table: subscriptions. */
export const mikaSubscriptions: MikaSqliteSchema["subscriptions"] = mikaSqliteSchema.subscriptions;
/** The `entitlements` table: entitlements. */
export const mikaEntitlements: MikaSqliteSchema["entitlements"] = mikaSqliteSchema.entitlements;
/** The `licenses` table: license keys (hash and display suffix only). */
export const mikaLicenses: MikaSqliteSchema["licenses"] = mikaSqliteSchema.licenses;
/** The `orders` table: orders. */
export const mikaOrders: MikaSqliteSchema["orders"] = mikaSqliteSchema.orders;
/** The `carts` table: carts. */
export const mikaCarts: MikaSqliteSchema["carts"] = mikaSqliteSchema.carts;
/** The `stockItems` table: stock items with their reserved quantities. */
export const mikaStockItems: MikaSqliteSchema["stockItems"] = mikaSqliteSchema.stockItems;
/** The `stockReservations` table: stock reservations that expire. */
export const mikaStockReservations: MikaSqliteSchema["stockReservations"] =
  mikaSqliteSchema.stockReservations;
/** The `ephemeralRecords` table: short-lived tokens, nonces, locks and counters. */
export const mikaEphemeralRecords: MikaSqliteSchema["ephemeralRecords"] =
  mikaSqliteSchema.ephemeralRecords;
/** The `acpSessions` table: agentic-checkout (ACP) sessions. */
export const mikaAcpSessions: MikaSqliteSchema["acpSessions"] = mikaSqliteSchema.acpSessions;
/** The `leadershipLeases` table: the leadership lease rows of the maintenance runtime. */
export const mikaLeadershipLeases: MikaSqliteSchema["leadershipLeases"] =
  mikaSqliteSchema.leadershipLeases;
/** The `runtimeHeartbeats` table: runtime heartbeats, one per process. */
export const mikaRuntimeHeartbeats: MikaSqliteSchema["runtimeHeartbeats"] =
  mikaSqliteSchema.runtimeHeartbeats;
/** The `laneStates` table: each lane's schedule and claim. */
export const mikaLaneStates: MikaSqliteSchema["laneStates"] = mikaSqliteSchema.laneStates;
/** The `laneRuns` table: the record of each lane pass. */
export const mikaLaneRuns: MikaSqliteSchema["laneRuns"] = mikaSqliteSchema.laneRuns;
/** The `laneRunHours` table: each lane's passes, moved items and failures per UTC hour. */
export const mikaLaneRunHours: MikaSqliteSchema["laneRunHours"] = mikaSqliteSchema.laneRunHours;
/** The `lanePauses` table: lanes an operator paused; every replica skips their passes. */
export const mikaLanePauses: MikaSqliteSchema["lanePauses"] = mikaSqliteSchema.lanePauses;
/** The `migrations` table: which migrations are applied. */
export const mikaMigrations: MikaSqliteSchema["migrations"] = mikaSqliteSchema.migrations;
