import { type Kysely, type RawBuilder, sql } from "kysely";
import type { MikaTableLocation } from "../schema/table-names.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not follow later table types.
type Db = Kysely<any>;

const TIMESTAMPTZ = "timestamptz";

function checkIn(column: string, values: readonly string[]): RawBuilder<unknown> {
  return sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
}

/**
 * The initial schema: every table of every port, with the indexes each maintenance query
 * walks. Partial indexes hold only the rows a sweep can act on, so an empty sweep costs the
 * same on a million rows as on ten thousand.
 */
export function initialSchemaMigration(location: MikaTableLocation) {
  const name = (suffix: string) => `${location.tablePrefix}${suffix}`;
  const index = (suffix: string) => sql.id(name(suffix));
  const exec = (db: Db, query: RawBuilder<unknown>) => query.execute(db);

  return {
    async up(db: Db): Promise<void> {
      await db.schema
        .createTable("ephemeral_records")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("subject_hash", "text")
        .addColumn("value", "text")
        .addColumn("expires_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addPrimaryKeyConstraint(name("ephemeral_records_pkey"), ["kind", "key"])
        .addCheckConstraint(
          name("ephemeral_records_kind_check"),
          checkIn("kind", ["token", "rate_limit", "lock", "nonce", "cache_marker"]),
        )
        .execute();
      // purgeExpired: every row expires, so a plain index on the expiry.
      await exec(
        db,
        sql`create index ${index("ephemeral_expires_idx")} on ${sql.table("ephemeral_records")} (expires_at, kind, key)`,
      );
      // deleteTokensBySubjectHashes (erasure).
      await exec(
        db,
        sql`create index ${index("ephemeral_token_subject_idx")} on ${sql.table("ephemeral_records")} (subject_hash) where kind = 'token' and subject_hash is not null`,
      );

      await db.schema
        .createTable("email_outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("status", "text", (c) =>
          c.notNull().check(checkIn("status", ["queued", "sent", "failed", "skipped"])),
        )
        .addColumn("to_address", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("text_body", "text")
        .addColumn("html_body", "text")
        .addColumn("customer_id", "text")
        .addColumn("user_id", "text")
        .addColumn("email_hash", "text")
        .addColumn("metadata", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn("attempt_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("max_attempts", "integer", (c) => c.notNull())
        .addColumn("next_attempt_at", TIMESTAMPTZ)
        .addColumn("lease_key", "text")
        .addColumn("leased_at", TIMESTAMPTZ)
        .addColumn("lease_expires_at", TIMESTAMPTZ)
        .addColumn("last_error", "text")
        .addColumn("sent_at", TIMESTAMPTZ)
        .addColumn("provider_message_id", "text")
        .addColumn("skip_reason", "text")
        .addColumn("redacted_at", TIMESTAMPTZ)
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .execute();
      // listDueEmails / describeEmailBacklog: an ordered walk over sendable rows only.
      await exec(
        db,
        sql`create index ${index("email_outbox_due_idx")} on ${sql.table("email_outbox")} ((coalesce(next_attempt_at, created_at)), id) where status in ('queued', 'failed') and attempt_count < max_attempts`,
      );
      // reclaimExhaustedEmails: queued rows whose last allowed lease may have run out.
      await exec(
        db,
        sql`create index ${index("email_outbox_exhausted_idx")} on ${sql.table("email_outbox")} (lease_expires_at, id) where status = 'queued' and last_error is null and attempt_count >= max_attempts`,
      );
      // redactEmailsForAccountDelete (erasure): redacted rows are never matched again.
      for (const column of ["customer_id", "user_id", "email_hash"]) {
        await exec(
          db,
          sql`create index ${index(`email_outbox_${column}_idx`)} on ${sql.table("email_outbox")} (${sql.ref(column)}) where redacted_at is null`,
        );
      }

      await db.schema
        .createTable("workflows")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(checkIn("status", ["queued", "running", "completed", "failed"])),
        )
        .addColumn("input", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn("output", "jsonb")
        .addColumn("attempt_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("max_attempts", "integer", (c) => c.notNull())
        .addColumn("lease_key", "text")
        .addColumn("leased_at", TIMESTAMPTZ)
        .addColumn("lease_expires_at", TIMESTAMPTZ)
        .addColumn("last_error", "text")
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("finished_at", TIMESTAMPTZ)
        .execute();
      // reclaimExhaustedWorkflows.
      await exec(
        db,
        sql`create index ${index("workflows_exhausted_idx")} on ${sql.table("workflows")} (lease_expires_at, id) where status = 'running' and attempt_count >= max_attempts`,
      );

      await db.schema
        .createTable("webhook_events")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("provider", "text", (c) => c.notNull())
        .addColumn("event_type", "text", (c) => c.notNull())
        .addColumn("external_id", "text", (c) => c.notNull())
        .addColumn("received_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("processed_at", TIMESTAMPTZ)
        .addColumn("raw_payload", "text")
        .addColumn("normalized_payload", "jsonb")
        .addColumn("raw_payload_purged_at", TIMESTAMPTZ)
        .addUniqueConstraint(name("webhook_events_provider_external_key"), [
          "provider",
          "external_id",
        ])
        .execute();
      // purgeWebhookRawPayloads: only events that still hold a purgeable raw payload.
      await exec(
        db,
        sql`create index ${index("webhook_events_purgeable_idx")} on ${sql.table("webhook_events")} (received_at, id) where raw_payload is not null and (processed_at is not null or normalized_payload is not null)`,
      );

      await db.schema
        .createTable("account_delete_requests")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("status", "text", (c) =>
          c.notNull().check(checkIn("status", ["queued", "completed", "failed"])),
        )
        .addColumn("customer_id", "text")
        .addColumn("user_id", "text")
        .addColumn("email_hash", "text")
        .addColumn("token_hash", "text")
        .addColumn("steps", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn("error_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_error", "text")
        .addColumn("requested_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("completed_at", TIMESTAMPTZ)
        .addColumn("failed_at", TIMESTAMPTZ)
        .execute();
      // listQueuedAccountDeleteRequests / describeAccountDeleteBacklog.
      await exec(
        db,
        sql`create index ${index("account_delete_queued_idx")} on ${sql.table("account_delete_requests")} (requested_at, id) where status = 'queued'`,
      );

      await db.schema
        .createTable("account_exports")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("customer_id", "text")
        .addColumn("user_id", "text")
        .addColumn("status", "text", (c) =>
          c.notNull().check(checkIn("status", ["pending", "ready", "expired"])),
        )
        .addColumn("artifact_ref", "text")
        .addColumn("download_token_hash", "text")
        .addColumn("expires_at", TIMESTAMPTZ)
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .execute();
      for (const column of ["customer_id", "user_id"]) {
        await exec(
          db,
          sql`create index ${index(`account_exports_${column}_idx`)} on ${sql.table("account_exports")} (${sql.ref(column)})`,
        );
      }

      await db.schema
        .createTable("customers")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("user_id", "text")
        .addColumn("email", "text")
        .addColumn("email_hash", "text")
        .addColumn("name", "text")
        .addColumn("company", "text")
        .addColumn("vat_id", "text")
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("anonymized_at", TIMESTAMPTZ)
        .execute();

      await db.schema
        .createTable("subscriptions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("customer_id", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c
            .notNull()
            .check(
              checkIn("status", [
                "active",
                "trialing",
                "past_due",
                "paused",
                "cancelled",
                "expired",
              ]),
            ),
        )
        .addColumn("product_id", "text", (c) => c.notNull())
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .execute();
      await exec(
        db,
        sql`create index ${index("subscriptions_customer_idx")} on ${sql.table("subscriptions")} (customer_id)`,
      );

      await db.schema
        .createTable("entitlements")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("customer_id", "text")
        .addColumn("user_id", "text")
        .addColumn("email_hash", "text")
        .addColumn("product_id", "text", (c) => c.notNull())
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("anonymized_at", TIMESTAMPTZ)
        .execute();

      await db.schema
        .createTable("licenses")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("customer_id", "text")
        .addColumn("user_id", "text")
        .addColumn("email_hash", "text")
        .addColumn("key_hash", "text", (c) => c.notNull())
        .addColumn("display_suffix", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(checkIn("status", ["active", "revoked"])),
        )
        .addColumn("revoked_at", TIMESTAMPTZ)
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("orders")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("customer_id", "text")
        .addColumn("user_id", "text")
        .addColumn("email_hash", "text")
        .addColumn("customer_snapshot", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn("total_minor", "bigint", (c) => c.notNull())
        .addColumn("currency", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("anonymized_at", TIMESTAMPTZ)
        .execute();

      // Erasure looks these rows up by any of the person's identifiers.
      for (const table of ["entitlements", "licenses", "orders"]) {
        for (const column of ["customer_id", "user_id", "email_hash"]) {
          await exec(
            db,
            sql`create index ${index(`${table}_${column}_idx`)} on ${sql.table(table)} (${sql.ref(column)})`,
          );
        }
      }

      await db.schema
        .createTable("carts")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("customer_id", "text")
        .addColumn("status", "text", (c) =>
          c
            .notNull()
            .check(checkIn("status", ["open", "checkout_pending", "completed", "abandoned"])),
        )
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .execute();
      // listCheckoutPendingCartsByCustomer (erasure blocker check).
      await exec(
        db,
        sql`create index ${index("carts_checkout_pending_idx")} on ${sql.table("carts")} (customer_id) where status = 'checkout_pending'`,
      );

      await db.schema
        .createTable("stock_items")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("quantity_on_hand", "integer", (c) => c.notNull())
        .addColumn("quantity_reserved", "integer", (c) =>
          c.notNull().defaultTo(0).check(sql`quantity_reserved >= 0`),
        )
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("stock_reservations")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("stock_item_id", "text", (c) => c.notNull())
        .addColumn("customer_id", "text")
        .addColumn("cart_id", "text")
        .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity > 0`))
        .addColumn("status", "text", (c) =>
          c.notNull().check(checkIn("status", ["active", "expired", "released", "consumed"])),
        )
        .addColumn("idempotency_key", "text")
        .addColumn("expires_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("ended_at", TIMESTAMPTZ)
        .execute();
      // releaseExpiredReservations / describeExpiredReservationBacklog: active rows by expiry.
      await exec(
        db,
        sql`create index ${index("stock_reservations_active_expiry_idx")} on ${sql.table("stock_reservations")} (expires_at, id) where status = 'active'`,
      );
      // releaseActiveReservationsByCustomer (erasure).
      await exec(
        db,
        sql`create index ${index("stock_reservations_active_customer_idx")} on ${sql.table("stock_reservations")} (customer_id) where status = 'active'`,
      );
      // Keys are cleared when a reservation stops being active, so uniqueness covers live keys.
      await exec(
        db,
        sql`create unique index ${index("stock_reservations_idempotency_key")} on ${sql.table("stock_reservations")} (idempotency_key) where idempotency_key is not null`,
      );

      await db.schema
        .createTable("acp_sessions")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("status", "text", (c) =>
          c
            .notNull()
            .check(
              checkIn("status", [
                "not_ready_for_payment",
                "ready_for_payment",
                "in_progress",
                "completed",
                "canceled",
                "expired",
              ]),
            ),
        )
        .addColumn("payload", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn("version", "integer", (c) => c.notNull())
        .addColumn("expires_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("terminal_at", TIMESTAMPTZ)
        .addColumn("purge_at", TIMESTAMPTZ)
        .addColumn("expired_at", TIMESTAMPTZ)
        .addColumn("created_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("updated_at", TIMESTAMPTZ, (c) => c.notNull())
        .execute();
      // cleanupExpired, expiry half: open sessions by expiry.
      await exec(
        db,
        sql`create index ${index("acp_sessions_open_expiry_idx")} on ${sql.table("acp_sessions")} (expires_at, id) where status in ('not_ready_for_payment', 'ready_for_payment', 'in_progress')`,
      );
      // cleanupExpired, purge half: terminal sessions by purge time.
      await exec(
        db,
        sql`create index ${index("acp_sessions_purge_idx")} on ${sql.table("acp_sessions")} (purge_at, id) where purge_at is not null`,
      );

      await db.schema
        .createTable("leadership_leases")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("holder", "text", (c) => c.notNull())
        .addColumn("term", "bigint", (c) => c.notNull())
        .addColumn("acquired_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("renewed_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("expires_at", TIMESTAMPTZ, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("runtime_heartbeats")
        .addColumn("instance_id", "text", (c) => c.primaryKey())
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("pid", "integer", (c) => c.notNull())
        .addColumn("started_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("last_beat_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("is_leader", "boolean", (c) => c.notNull())
        .execute();
      // listHeartbeats (newest first) / pruneHeartbeats.
      await exec(
        db,
        sql`create index ${index("runtime_heartbeats_last_beat_idx")} on ${sql.table("runtime_heartbeats")} (last_beat_at)`,
      );

      await db.schema
        .createTable("lane_states")
        .addColumn("lane", "text", (c) => c.primaryKey())
        .addColumn("last_started_at", TIMESTAMPTZ)
        .addColumn("last_holder", "text")
        .execute();

      await db.schema
        .createTable("lane_runs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("lane", "text", (c) => c.notNull())
        .addColumn("instance_id", "text", (c) => c.notNull())
        .addColumn("started_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("finished_at", TIMESTAMPTZ, (c) => c.notNull())
        .addColumn("duration_ms", "double precision", (c) => c.notNull())
        .addColumn("status", "text", (c) =>
          c.notNull().check(checkIn("status", ["completed", "failed", "skipped", "abandoned"])),
        )
        .addColumn("counters", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn("error", "text")
        .execute();
      // listLaneRuns / pruneLaneRuns: newest runs of each lane.
      await exec(
        db,
        sql`create index ${index("lane_runs_lane_started_idx")} on ${sql.table("lane_runs")} (lane, started_at desc, id desc)`,
      );
    },
  };
}
