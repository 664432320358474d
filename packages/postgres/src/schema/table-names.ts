/** The logical names of the adapter's tables; the real names carry the configured prefix. */
export const MIKA_POSTGRES_TABLES = [
  "ephemeral_records",
  "email_outbox",
  "workflows",
  "webhook_events",
  "account_delete_requests",
  "account_exports",
  "customers",
  "subscriptions",
  "entitlements",
  "licenses",
  "orders",
  "carts",
  "stock_items",
  "stock_reservations",
  "acp_sessions",
  "leadership_leases",
  "runtime_heartbeats",
  "lane_states",
  "lane_runs",
  "lane_run_hours",
  "lane_pauses",
] as const;

/** One logical table name. */
export type MikaPostgresTableName = (typeof MIKA_POSTGRES_TABLES)[number];

/** Where the adapter's tables live: a schema and a name prefix, both validated identifiers. */
export interface MikaTableLocation {
  schema: string;
  tablePrefix: string;
}

/** The physical name of a logical table (without schema). */
export function physicalTableName(location: MikaTableLocation, table: string): string {
  return `${location.tablePrefix}${table}`;
}

/** The migration bookkeeping table, named after the prefix so several prefixes can coexist. */
export function migrationTableNames(location: MikaTableLocation) {
  return { migrations: `${location.tablePrefix}migrations` };
}
