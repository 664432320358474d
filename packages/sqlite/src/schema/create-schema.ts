import { MikaMaintenanceOptionsError } from "@mika-maintenance/core";
import { describe } from "../input.ts";
import { customersTable, entitlementsTable, licensesTable, subscriptionsTable } from "./account.ts";
import { accountDeleteRequestsTable } from "./account-delete-requests.ts";
import { accountExportsTable } from "./account-exports.ts";
import { acpSessionsTable } from "./acp-sessions.ts";
import { cartsTable } from "./carts.ts";
import { emailOutboxTable } from "./email-outbox.ts";
import { ephemeralRecordsTable } from "./ephemeral.ts";
import { migrationsTable } from "./migrations-table.ts";
import { ordersTable } from "./orders.ts";
import {
  lanePausesTable,
  laneRunHoursTable,
  laneRunsTable,
  laneStatesTable,
  leadershipLeasesTable,
  runtimeHeartbeatsTable,
} from "./runtime.ts";
import { stockItemsTable, stockReservationsTable } from "./stock.ts";
import { webhookEventsTable } from "./webhook-events.ts";
import { workflowsTable } from "./workflows.ts";

/** The prefix of every table name unless `tablePrefix` says otherwise. */
export const MIKA_SQLITE_DEFAULT_TABLE_PREFIX = "mika_";

const PREFIX_PATTERN = /^([A-Za-z_][A-Za-z0-9_]*)?$/;

function buildSchema(prefix: string) {
  return {
    emailOutbox: emailOutboxTable(prefix),
    workflows: workflowsTable(prefix),
    webhookEvents: webhookEventsTable(prefix),
    accountDeleteRequests: accountDeleteRequestsTable(prefix),
    accountExports: accountExportsTable(prefix),
    customers: customersTable(prefix),
    subscriptions: subscriptionsTable(prefix),
    entitlements: entitlementsTable(prefix),
    licenses: licensesTable(prefix),
    orders: ordersTable(prefix),
    carts: cartsTable(prefix),
    stockItems: stockItemsTable(prefix),
    stockReservations: stockReservationsTable(prefix),
    ephemeralRecords: ephemeralRecordsTable(prefix),
    acpSessions: acpSessionsTable(prefix),
    leadershipLeases: leadershipLeasesTable(prefix),
    runtimeHeartbeats: runtimeHeartbeatsTable(prefix),
    laneStates: laneStatesTable(prefix),
    laneRuns: laneRunsTable(prefix),
    laneRunHours: laneRunHoursTable(prefix),
    lanePauses: lanePausesTable(prefix),
    migrations: migrationsTable(prefix),
  };
}

/** Every mika-maintenance table as drizzle `sqlite-core` definitions, by name. */
export type MikaSqliteSchema = ReturnType<typeof buildSchema>;

/**
 * The drizzle tables for a given table prefix (default `mika_`), e.g. to include them in a
 * drizzle-kit schema: `export const { emailOutbox, stockReservations } = createMikaSqliteSchema("shop_")`.
 */
export function createMikaSqliteSchema(
  prefix: string = MIKA_SQLITE_DEFAULT_TABLE_PREFIX,
): MikaSqliteSchema {
  if (typeof prefix !== "string" || prefix.length > 40 || !PREFIX_PATTERN.test(prefix)) {
    throw new MikaMaintenanceOptionsError(
      "tablePrefix",
      "Invalid tablePrefix: must be at most 40 letters, digits and underscores, not starting " +
        `with a digit (e.g. "mika_"), got ${describe(prefix)}`,
    );
  }
  return buildSchema(prefix);
}
