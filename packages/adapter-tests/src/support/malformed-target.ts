import type { MikaMalformedTable, MikaMalformedWrite } from "../types.ts";

const SQL_TABLES: Record<MikaMalformedTable, string> = {
  emailOutbox: "email_outbox",
  accountDeleteRequests: "account_delete_requests",
  workflows: "workflows",
  webhookEvents: "webhook_events",
  acpSessions: "acp_sessions",
  stockReservations: "stock_reservations",
  ephemeralRecords: "ephemeral_records",
};

/**
 * Where a SQL adapter's `writeMalformedValue` backdoor writes: the table (its logical snake_case
 * name after `prefix`), the column (the field in snake_case) and the row's key column.
 */
export function malformedWriteTarget(
  input: MikaMalformedWrite,
  prefix: string,
): { table: string; column: string; key: string } {
  return {
    table: `${prefix}${SQL_TABLES[input.table]}`,
    column: input.field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
    key: input.table === "ephemeralRecords" ? "key" : "id",
  };
}
