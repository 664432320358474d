import {
  createRandomId,
  MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
  type MikaWorkflowPort,
  type MikaWorkflowRecord,
} from "@mika-maintenance/core";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { MikaLibsqlDatabase } from "../database/libsql-database.ts";
import { requireLimit, requireText, requireTime, requireWholeNumber } from "../input.ts";
import { toStoredTime } from "../schema/columns.ts";
import {
  CLEARED_LEASE,
  exhaustedAt,
  heldBy,
  reclaimExhaustedRows,
  takeLease,
} from "./leased-rows.ts";
import { matchesSubject } from "./sql-helpers.ts";
import { newSweepBatchSize } from "./sweep.ts";

/** The workflow part of `repositories.ops`, over `<prefix>workflows`. */
export function createLibsqlWorkflows(database: MikaLibsqlDatabase): MikaWorkflowPort {
  const t = database.tables.workflows;
  const reclaimBatchSize = newSweepBatchSize();

  return {
    async enqueueWorkflow(input) {
      const now = requireTime(input.now, "now");
      const row: MikaWorkflowRecord = {
        id: input.id === undefined ? createRandomId() : requireText(input.id, "id"),
        name: requireText(input.name, "name"),
        status: "queued",
        input: input.input ?? {},
        output: null,
        customerId: input.customerId ?? null,
        userId: input.userId ?? null,
        emailHash: input.emailHash ?? null,
        redactedAt: null,
        attemptCount: 0,
        maxAttempts: requireWholeNumber(
          input.maxAttempts ?? MIKA_DEFAULT_WORKFLOW_MAX_ATTEMPTS,
          "maxAttempts",
          1,
        ),
        ...CLEARED_LEASE,
        lastError: null,
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
      };
      return database.run(async (db) => (await db.insert(t).values(row).returning())[0]!);
    },

    async getWorkflow(workflowId) {
      return database.run(async (db) => {
        const [row] = await db.select().from(t).where(eq(t.id, workflowId));
        return row ?? null;
      });
    },

    async tryLeaseWorkflow(input) {
      const now = requireTime(input.now, "now");
      const leaseExpiresAt = requireTime(input.leaseExpiresAt, "leaseExpiresAt");
      const leaseKey = requireText(input.leaseKey, "leaseKey");
      const nowMs = toStoredTime(now);
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set(takeLease(t, { now, leaseKey, leaseExpiresAt, status: "running" as const }))
          .where(
            and(
              eq(t.id, input.workflowId),
              sql`${t.attemptCount} < ${t.maxAttempts}`,
              sql`(${t.status} = 'queued' or (${t.status} = 'running' and ${t.leaseExpiresAt} <= ${nowMs}))`,
            ),
          )
          .returning();
        return row ?? null;
      });
    },

    async completeWorkflow(input) {
      const now = requireTime(input.now, "now");
      return database.run(async (db) => {
        const [row] = await db
          .update(t)
          .set({
            status: "completed",
            ...(input.output === undefined ? {} : { output: input.output }),
            finishedAt: now,
            ...CLEARED_LEASE,
            updatedAt: now,
          })
          .where(heldBy(t, input.workflowId, input.leaseKey, "running"))
          .returning();
        return row ?? null;
      });
    },

    async reclaimExhaustedWorkflows(input) {
      const now = requireTime(input.now, "now");
      const limit = requireLimit(input.limit);
      return reclaimExhaustedRows(
        database,
        t,
        exhaustedAt(t, "running", now),
        { status: "failed", lastError: input.error, finishedAt: now, updatedAt: now },
        limit,
        reclaimBatchSize,
      );
    },

    async redactWorkflowsForAccountDelete(input) {
      const now = requireTime(input.now, "now");
      const subject = matchesSubject(t, input);
      if (!subject) return 0;
      return database.run(async (db) => {
        const result = await db
          .update(t)
          .set({
            input: {},
            output: null,
            lastError: sql`case when ${t.lastError} is null then null else '[redacted]' end`,
            userId: null,
            emailHash: null,
            redactedAt: now,
            updatedAt: now,
          })
          .where(and(isNull(t.redactedAt), subject));
        return result.rowsAffected;
      });
    },
  };
}
