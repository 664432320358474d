import type { MikaMetadata, MikaWorkflowStatus } from "@mika-maintenance/core";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { isoTime, jsonText } from "./columns.ts";

/** Host workflow runs with their leases. */
export function workflowsTable(prefix: string) {
  const name = `${prefix}workflows`;
  return sqliteTable(
    name,
    {
      id: text("id").primaryKey(),
      name: text("name").notNull(),
      status: text("status").$type<MikaWorkflowStatus>().notNull(),
      input: jsonText("input").$type<MikaMetadata>().notNull(),
      output: jsonText("output").$type<MikaMetadata>(),
      attemptCount: integer("attempt_count").notNull(),
      maxAttempts: integer("max_attempts").notNull(),
      leaseKey: text("lease_key"),
      leasedAt: isoTime("leased_at"),
      leaseExpiresAt: isoTime("lease_expires_at"),
      lastError: text("last_error"),
      createdAt: isoTime("created_at").notNull(),
      updatedAt: isoTime("updated_at").notNull(),
      finishedAt: isoTime("finished_at"),
      // Added by 0003_erasure_subjects (decision 0011): whom the workflow is about.
      customerId: text("customer_id"),
      userId: text("user_id"),
      emailHash: text("email_hash"),
      redactedAt: isoTime("redacted_at"),
      // Added by 0007_workflow_retries: what a maintenance retry replays, and when it is due.
      subjectId: text("subject_id"),
      nextAttemptAt: isoTime("next_attempt_at"),
    },
    (t) => [
      // reclaimExhaustedWorkflows: running workflows whose lease ran out.
      index(`${name}_lease_idx`)
        .on(t.leaseExpiresAt, t.id)
        .where(sql`${t.status} = 'running' and ${t.leaseExpiresAt} is not null`),
      // listDueWorkflowRetries: due retries of one kind.
      index(`${name}_retry_due_idx`)
        .on(t.name, t.nextAttemptAt, t.id)
        .where(sql`${t.nextAttemptAt} is not null and ${t.status} in ('queued', 'running')`),
      index(`${name}_customer_idx`).on(t.customerId),
      index(`${name}_user_idx`).on(t.userId),
      index(`${name}_email_hash_idx`).on(t.emailHash),
    ],
  );
}
