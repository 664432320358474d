import type { ColumnType } from "kysely";

/** `timestamptz`: written as an ISO string, read back as a `Date` (or a string from some drivers). */
export type Timestamp = ColumnType<Date | string, string, string>;
/** A nullable `timestamptz`. */
export type NullableTimestamp = ColumnType<Date | string | null, string | null, string | null>;
/** `jsonb`: written as JSON text, read back parsed. */
export type Jsonb<T> = ColumnType<T, string, string>;
/** A nullable `jsonb`. */
export type NullableJsonb<T> = ColumnType<T | null, string | null, string | null>;
/** `integer` / `bigint`: `bigint` columns come back as strings from pg. */
export type Count = ColumnType<number | string | bigint, number, number>;

export interface EphemeralRecordsTable {
  kind: string;
  key: string;
  subject_hash: string | null;
  value: string | null;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface EmailOutboxTable {
  id: string;
  status: string;
  to_address: string;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  customer_id: string | null;
  user_id: string | null;
  email_hash: string | null;
  metadata: Jsonb<Record<string, unknown>>;
  attempt_count: Count;
  max_attempts: Count;
  next_attempt_at: NullableTimestamp;
  lease_key: string | null;
  leased_at: NullableTimestamp;
  lease_expires_at: NullableTimestamp;
  last_error: string | null;
  sent_at: NullableTimestamp;
  provider_message_id: string | null;
  skip_reason: string | null;
  redacted_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WorkflowsTable {
  id: string;
  name: string;
  status: string;
  input: Jsonb<Record<string, unknown>>;
  output: NullableJsonb<Record<string, unknown>>;
  attempt_count: Count;
  max_attempts: Count;
  lease_key: string | null;
  leased_at: NullableTimestamp;
  lease_expires_at: NullableTimestamp;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
  customer_id: string | null;
  user_id: string | null;
  email_hash: string | null;
  redacted_at: NullableTimestamp;
  subject_id: string | null;
  next_attempt_at: NullableTimestamp;
}

export interface WebhookEventsTable {
  id: string;
  provider: string;
  event_type: string;
  external_id: string;
  received_at: Timestamp;
  processed_at: NullableTimestamp;
  raw_payload: string | null;
  normalized_payload: NullableJsonb<Record<string, unknown>>;
  raw_payload_purged_at: NullableTimestamp;
  customer_id: string | null;
  user_id: string | null;
  email_hash: string | null;
  redacted_at: NullableTimestamp;
}

export interface AccountDeleteRequestsTable {
  id: string;
  status: string;
  customer_id: string | null;
  user_id: string | null;
  email_hash: string | null;
  token_hash: string | null;
  steps: Jsonb<Record<string, unknown>>;
  error_count: Count;
  last_error: string | null;
  requested_at: Timestamp;
  updated_at: Timestamp;
  completed_at: NullableTimestamp;
  failed_at: NullableTimestamp;
}

export interface AccountExportsTable {
  id: string;
  customer_id: string | null;
  user_id: string | null;
  status: string;
  artifact_ref: string | null;
  download_token_hash: string | null;
  expires_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomersTable {
  id: string;
  user_id: string | null;
  email: string | null;
  email_hash: string | null;
  name: string | null;
  company: string | null;
  vat_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  anonymized_at: NullableTimestamp;
}

export interface SubscriptionsTable {
  id: string;
  customer_id: string;
  status: string;
  product_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EntitlementsTable {
  id: string;
  customer_id: string | null;
  user_id: string | null;
  email_hash: string | null;
  product_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  anonymized_at: NullableTimestamp;
}

export interface LicensesTable {
  id: string;
  customer_id: string | null;
  user_id: string | null;
  email_hash: string | null;
  key_hash: string;
  display_suffix: string;
  status: string;
  revoked_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrdersTable {
  id: string;
  customer_id: string | null;
  user_id: string | null;
  email_hash: string | null;
  customer_snapshot: Jsonb<Record<string, unknown>>;
  total_minor: Count;
  currency: string;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  anonymized_at: NullableTimestamp;
}

export interface CartsTable {
  id: string;
  customer_id: string | null;
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface StockItemsTable {
  id: string;
  quantity_on_hand: Count;
  quantity_reserved: Count;
  updated_at: Timestamp;
}

export interface StockReservationsTable {
  id: string;
  stock_item_id: string;
  customer_id: string | null;
  cart_id: string | null;
  quantity: Count;
  status: string;
  idempotency_key: string | null;
  expires_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  ended_at: NullableTimestamp;
}

export interface AcpSessionsTable {
  id: string;
  status: string;
  payload: Jsonb<Record<string, unknown>>;
  version: Count;
  expires_at: Timestamp;
  terminal_at: NullableTimestamp;
  purge_at: NullableTimestamp;
  expired_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  customer_id: string | null;
  user_id: string | null;
  email_hash: string | null;
}

export interface LeadershipLeasesTable {
  name: string;
  holder: string;
  term: Count;
  acquired_at: Timestamp;
  renewed_at: Timestamp;
  expires_at: Timestamp;
}

export interface RuntimeHeartbeatsTable {
  instance_id: string;
  host: string;
  pid: Count;
  started_at: Timestamp;
  last_beat_at: Timestamp;
  is_leader: boolean;
}

export interface LaneStatesTable {
  lane: string;
  last_started_at: NullableTimestamp;
  last_holder: string | null;
}

export interface LaneRunsTable {
  id: string;
  lane: string;
  instance_id: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  duration_ms: ColumnType<number | string, number, number>;
  status: string;
  counters: Jsonb<Record<string, unknown>>;
  error: string | null;
}

export interface LaneRunHoursTable {
  lane: string;
  hour_start: Timestamp;
  passes: ColumnType<number | string, number, number>;
  moved: ColumnType<number | string, number, number>;
  failures: ColumnType<number | string, number, number>;
}

export interface LanePausesTable {
  lane: string;
  paused_at: Timestamp;
  paused_by: string;
}

/** The adapter's tables under their logical names (the plugin adds schema and prefix). */
export interface MikaPostgresDatabase {
  ephemeral_records: EphemeralRecordsTable;
  email_outbox: EmailOutboxTable;
  workflows: WorkflowsTable;
  webhook_events: WebhookEventsTable;
  account_delete_requests: AccountDeleteRequestsTable;
  account_exports: AccountExportsTable;
  customers: CustomersTable;
  subscriptions: SubscriptionsTable;
  entitlements: EntitlementsTable;
  licenses: LicensesTable;
  orders: OrdersTable;
  carts: CartsTable;
  stock_items: StockItemsTable;
  stock_reservations: StockReservationsTable;
  acp_sessions: AcpSessionsTable;
  leadership_leases: LeadershipLeasesTable;
  runtime_heartbeats: RuntimeHeartbeatsTable;
  lane_states: LaneStatesTable;
  lane_runs: LaneRunsTable;
  lane_run_hours: LaneRunHoursTable;
  lane_pauses: LanePausesTable;
}
