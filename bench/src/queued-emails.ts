import type { Cell, SeriesInsert } from "./adapters/store.ts";

/**
 * `count` queued, never-tried outbox emails, due since `createdAt` (1 ms apart, oldest first),
 * with ids from `id`: the backlog every drain measurement starts from.
 */
export function queuedEmails(count: number, id: Cell, createdAt: string): SeriesInsert {
  return {
    table: "email_outbox",
    count,
    columns: {
      id,
      status: "queued",
      to_address: { sql: "'buyer' || i || '@example.com'" },
      subject: "Your order",
      text_body: "Thanks for your order.",
      html_body: null,
      customer_id: { sql: "'cus-' || i" },
      user_id: null,
      email_hash: null,
      metadata: { json: {} },
      attempt_count: 0,
      max_attempts: 5,
      next_attempt_at: null,
      lease_key: null,
      leased_at: null,
      lease_expires_at: null,
      last_error: null,
      sent_at: null,
      provider_message_id: null,
      skip_reason: null,
      redacted_at: null,
      created_at: { at: createdAt, stepMs: 1 },
      updated_at: { at: createdAt },
    },
  };
}
