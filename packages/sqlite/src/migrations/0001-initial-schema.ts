import type { MikaSqliteMigration } from "./migration.ts";

// Every statement is IF NOT EXISTS so that a database whose tables were created from the
// exported drizzle schema (drizzle-kit push) can still be migrated and recorded.
// Times are INTEGER milliseconds since the epoch: docs/decisions/0002-libsql-time-storage.md.

/** The first schema: every table and index the ports use. */
export const initialSchemaMigration: MikaSqliteMigration = {
  name: "0001_initial_schema",
  up: (p) => [
    `CREATE TABLE IF NOT EXISTS "${p}email_outbox" (
      "id" text PRIMARY KEY NOT NULL,
      "status" text NOT NULL,
      "to_address" text NOT NULL,
      "subject" text NOT NULL,
      "text_body" text,
      "html_body" text,
      "customer_id" text,
      "user_id" text,
      "email_hash" text,
      "metadata" text NOT NULL,
      "attempt_count" integer NOT NULL,
      "max_attempts" integer NOT NULL,
      "next_attempt_at" integer,
      "lease_key" text,
      "leased_at" integer,
      "lease_expires_at" integer,
      "last_error" text,
      "sent_at" integer,
      "provider_message_id" text,
      "skip_reason" text,
      "redacted_at" integer,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}email_outbox_due_idx" ON "${p}email_outbox"
      (coalesce("next_attempt_at", "created_at"), "id")
      WHERE "status" in ('queued', 'failed') and "attempt_count" < "max_attempts"`,
    `CREATE INDEX IF NOT EXISTS "${p}email_outbox_lease_idx" ON "${p}email_outbox"
      ("lease_expires_at", "id")
      WHERE "status" = 'queued' and "lease_expires_at" is not null`,
    `CREATE INDEX IF NOT EXISTS "${p}email_outbox_customer_idx" ON "${p}email_outbox" ("customer_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}email_outbox_user_idx" ON "${p}email_outbox" ("user_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}email_outbox_email_hash_idx" ON "${p}email_outbox" ("email_hash")`,

    `CREATE TABLE IF NOT EXISTS "${p}workflows" (
      "id" text PRIMARY KEY NOT NULL,
      "name" text NOT NULL,
      "status" text NOT NULL,
      "input" text NOT NULL,
      "output" text,
      "attempt_count" integer NOT NULL,
      "max_attempts" integer NOT NULL,
      "lease_key" text,
      "leased_at" integer,
      "lease_expires_at" integer,
      "last_error" text,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL,
      "finished_at" integer
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}workflows_lease_idx" ON "${p}workflows"
      ("lease_expires_at", "id")
      WHERE "status" = 'running' and "lease_expires_at" is not null`,

    `CREATE TABLE IF NOT EXISTS "${p}webhook_events" (
      "id" text PRIMARY KEY NOT NULL,
      "provider" text NOT NULL,
      "event_type" text NOT NULL,
      "external_id" text NOT NULL,
      "received_at" integer NOT NULL,
      "processed_at" integer,
      "raw_payload" text,
      "normalized_payload" text,
      "raw_payload_purged_at" integer
    )`,
    `CREATE UNIQUE INDEX IF NOT EXISTS "${p}webhook_events_external_idx" ON "${p}webhook_events"
      ("provider", "external_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}webhook_events_purge_idx" ON "${p}webhook_events"
      ("received_at", "id")
      WHERE "raw_payload" is not null and ("processed_at" is not null or "normalized_payload" is not null)`,

    `CREATE TABLE IF NOT EXISTS "${p}account_delete_requests" (
      "id" text PRIMARY KEY NOT NULL,
      "status" text NOT NULL,
      "customer_id" text,
      "user_id" text,
      "email_hash" text,
      "token_hash" text,
      "steps" text NOT NULL,
      "error_count" integer NOT NULL,
      "last_error" text,
      "requested_at" integer NOT NULL,
      "updated_at" integer NOT NULL,
      "completed_at" integer,
      "failed_at" integer
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}account_delete_requests_queue_idx" ON "${p}account_delete_requests"
      ("requested_at", "id")
      WHERE "status" = 'queued'`,

    `CREATE TABLE IF NOT EXISTS "${p}account_exports" (
      "id" text PRIMARY KEY NOT NULL,
      "customer_id" text,
      "user_id" text,
      "status" text NOT NULL,
      "artifact_ref" text,
      "download_token_hash" text,
      "expires_at" integer,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}account_exports_customer_idx" ON "${p}account_exports" ("customer_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}account_exports_user_idx" ON "${p}account_exports" ("user_id")`,

    `CREATE TABLE IF NOT EXISTS "${p}customers" (
      "id" text PRIMARY KEY NOT NULL,
      "user_id" text,
      "email" text,
      "email_hash" text,
      "name" text,
      "company" text,
      "vat_id" text,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL,
      "anonymized_at" integer
    )`,

    `CREATE TABLE IF NOT EXISTS "${p}subscriptions" (
      "id" text PRIMARY KEY NOT NULL,
      "customer_id" text NOT NULL,
      "status" text NOT NULL,
      "product_id" text NOT NULL,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}subscriptions_customer_idx" ON "${p}subscriptions"
      ("customer_id", "created_at", "id")`,

    `CREATE TABLE IF NOT EXISTS "${p}entitlements" (
      "id" text PRIMARY KEY NOT NULL,
      "customer_id" text,
      "user_id" text,
      "email_hash" text,
      "product_id" text NOT NULL,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL,
      "anonymized_at" integer
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}entitlements_customer_idx" ON "${p}entitlements" ("customer_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}entitlements_user_idx" ON "${p}entitlements" ("user_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}entitlements_email_hash_idx" ON "${p}entitlements" ("email_hash")`,

    `CREATE TABLE IF NOT EXISTS "${p}licenses" (
      "id" text PRIMARY KEY NOT NULL,
      "customer_id" text,
      "user_id" text,
      "email_hash" text,
      "key_hash" text NOT NULL,
      "display_suffix" text NOT NULL,
      "status" text NOT NULL,
      "revoked_at" integer,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}licenses_customer_idx" ON "${p}licenses" ("customer_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}licenses_user_idx" ON "${p}licenses" ("user_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}licenses_email_hash_idx" ON "${p}licenses" ("email_hash")`,

    `CREATE TABLE IF NOT EXISTS "${p}orders" (
      "id" text PRIMARY KEY NOT NULL,
      "customer_id" text,
      "user_id" text,
      "email_hash" text,
      "customer_snapshot" text NOT NULL,
      "total_minor" integer NOT NULL,
      "currency" text NOT NULL,
      "status" text NOT NULL,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL,
      "anonymized_at" integer
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}orders_customer_idx" ON "${p}orders" ("customer_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}orders_user_idx" ON "${p}orders" ("user_id")`,
    `CREATE INDEX IF NOT EXISTS "${p}orders_email_hash_idx" ON "${p}orders" ("email_hash")`,

    `CREATE TABLE IF NOT EXISTS "${p}carts" (
      "id" text PRIMARY KEY NOT NULL,
      "customer_id" text,
      "status" text NOT NULL,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}carts_customer_idx" ON "${p}carts" ("customer_id", "status")`,

    `CREATE TABLE IF NOT EXISTS "${p}stock_items" (
      "id" text PRIMARY KEY NOT NULL,
      "quantity_on_hand" integer NOT NULL,
      "quantity_reserved" integer NOT NULL,
      "updated_at" integer NOT NULL
    )`,

    `CREATE TABLE IF NOT EXISTS "${p}stock_reservations" (
      "id" text PRIMARY KEY NOT NULL,
      "stock_item_id" text NOT NULL,
      "customer_id" text,
      "cart_id" text,
      "quantity" integer NOT NULL,
      "status" text NOT NULL,
      "idempotency_key" text,
      "expires_at" integer NOT NULL,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL,
      "ended_at" integer
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}stock_reservations_expiry_idx" ON "${p}stock_reservations"
      ("expires_at", "id")
      WHERE "status" = 'active'`,
    `CREATE INDEX IF NOT EXISTS "${p}stock_reservations_customer_idx" ON "${p}stock_reservations"
      ("customer_id")
      WHERE "status" = 'active'`,
    `CREATE UNIQUE INDEX IF NOT EXISTS "${p}stock_reservations_idempotency_idx" ON "${p}stock_reservations"
      ("idempotency_key")
      WHERE "idempotency_key" is not null`,

    `CREATE TABLE IF NOT EXISTS "${p}ephemeral_records" (
      "kind" text NOT NULL,
      "key" text NOT NULL,
      "subject_hash" text,
      "value" text,
      "expires_at" integer NOT NULL,
      "created_at" integer NOT NULL,
      PRIMARY KEY ("kind", "key")
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}ephemeral_records_expiry_idx" ON "${p}ephemeral_records" ("expires_at")`,
    `CREATE INDEX IF NOT EXISTS "${p}ephemeral_records_subject_idx" ON "${p}ephemeral_records"
      ("subject_hash", "kind")`,

    `CREATE TABLE IF NOT EXISTS "${p}acp_sessions" (
      "id" text PRIMARY KEY NOT NULL,
      "status" text NOT NULL,
      "payload" text NOT NULL,
      "version" integer NOT NULL,
      "expires_at" integer NOT NULL,
      "terminal_at" integer,
      "purge_at" integer,
      "expired_at" integer,
      "created_at" integer NOT NULL,
      "updated_at" integer NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}acp_sessions_expiry_idx" ON "${p}acp_sessions"
      ("expires_at", "id")
      WHERE "status" in ('not_ready_for_payment', 'ready_for_payment', 'in_progress')`,
    `CREATE INDEX IF NOT EXISTS "${p}acp_sessions_purge_idx" ON "${p}acp_sessions"
      ("purge_at", "id")
      WHERE "purge_at" is not null`,

    `CREATE TABLE IF NOT EXISTS "${p}leadership_leases" (
      "name" text PRIMARY KEY NOT NULL,
      "holder" text NOT NULL,
      "term" integer NOT NULL,
      "acquired_at" integer NOT NULL,
      "renewed_at" integer NOT NULL,
      "expires_at" integer NOT NULL
    )`,

    `CREATE TABLE IF NOT EXISTS "${p}runtime_heartbeats" (
      "instance_id" text PRIMARY KEY NOT NULL,
      "host" text NOT NULL,
      "pid" integer NOT NULL,
      "started_at" integer NOT NULL,
      "last_beat_at" integer NOT NULL,
      "is_leader" integer NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}runtime_heartbeats_last_beat_idx" ON "${p}runtime_heartbeats" ("last_beat_at")`,

    `CREATE TABLE IF NOT EXISTS "${p}lane_states" (
      "lane" text PRIMARY KEY NOT NULL,
      "last_started_at" integer,
      "last_holder" text
    )`,

    `CREATE TABLE IF NOT EXISTS "${p}lane_runs" (
      "id" text PRIMARY KEY NOT NULL,
      "lane" text NOT NULL,
      "instance_id" text NOT NULL,
      "started_at" integer NOT NULL,
      "finished_at" integer NOT NULL,
      "duration_ms" real NOT NULL,
      "status" text NOT NULL,
      "counters" text NOT NULL,
      "error" text
    )`,
    `CREATE INDEX IF NOT EXISTS "${p}lane_runs_lane_idx" ON "${p}lane_runs" ("lane", "started_at", "id")`,
  ],
};
