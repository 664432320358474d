import {
  createMikaMaintenanceRunner,
  MIKA_MAINTENANCE_TASKS,
  type MikaMaintenanceTaskKey,
  webhookReplayIdempotencyKey,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { defineConformanceGroup } from "../define-group.ts";
import { at, SECOND, T0 } from "../support/clock.ts";
import { instrumentRepositories } from "../support/instrument.ts";
import { completed, createTestRunner } from "../support/runners.ts";
import { seedDueWork } from "../support/seed-due-work.ts";
import { seedReservation, seedStockItem } from "../support/seed-stock.ts";

const TASK_KEYS = MIKA_MAINTENANCE_TASKS.map((task) => task.key);

/** Every task through the public runner: results, skips, failure isolation and `now`. */
export const runnerTasksGroup = defineConformanceGroup(
  "runnerTasks",
  "one sweep runs every task against the adapter, isolates failures and skips what is missing",
  {
    "one sweep moves one due item of every task and reports each in run order": async ({
      repositories,
    }) => {
      const due = await seedDueWork(repositories);
      const { runner, sender, replayed } = createTestRunner(repositories);
      const run = await runner.runOnce({ now: "2026-06-21T12:00:00+02:00" });
      expect(Object.keys(run)).toEqual(["now", ...TASK_KEYS]);
      expect(run.now).toBe(T0);
      expect(completed(run.emailOutbox)).toMatchObject({ scanned: 1, sent: 1, hasMore: false });
      expect(sender.sent.map((message) => message.emailId)).toEqual([due.emailId]);
      expect(completed(run.stuckEmails)).toEqual({ scanned: 1, reclaimed: 1, hasMore: false });
      expect(completed(run.rawProviderPayloads)).toEqual({ scanned: 1, purged: 1, hasMore: false });
      const acp = completed(run.acpSessions);
      expect(acp).toMatchObject({ expired: due.acpSessionId ? 1 : 0, purged: 0, hasMore: false });
      expect(completed(run.stockReservations)).toEqual({
        reservationsScanned: 1,
        reservationsReleased: 1,
        stockItems: 1,
        hasMore: false,
      });
      expect(completed(run.ephemeralRecords)).toEqual({ purged: 1, hasMore: false });
      expect(completed(run.accountDeleteRequests)).toMatchObject({
        scanned: 1,
        completed: 1,
        hasMore: false,
      });
      expect(completed(run.stuckWorkflows)).toEqual({ scanned: 1, reclaimed: 1, hasMore: false });
      expect(completed(run.webhookRetries)).toMatchObject({
        scanned: 1,
        retried: 1,
        failed: 0,
        hasMore: false,
      });
      expect(replayed.map((replay) => replay.idempotencyKey)).toEqual([
        webhookReplayIdempotencyKey(due.retryWorkflowId, 1),
      ]);
      for (const key of TASK_KEYS) {
        const outcome = run[key];
        expect(outcome.status === "completed" && outcome.durationMs >= 0, key).toBe(true);
      }
      const second = await runner.runOnce({ now: T0 });
      expect(completed(second.stockReservations).reservationsScanned).toBe(0);
      expect(completed(second.emailOutbox).scanned).toBe(0);
    },

    "tasks whose dependency is missing are skipped with a sentence naming it": async ({
      repositories,
    }) => {
      const runner = createMikaMaintenanceRunner({
        repositories: { ephemeral: repositories.ephemeral },
      });
      const run = await runner.runOnce({ now: T0 });
      expect(completed(run.ephemeralRecords)).toEqual({ purged: 0, hasMore: false });
      const needs: Partial<Record<MikaMaintenanceTaskKey, string[]>> = {
        emailOutbox: ["emailOutboxRunner"],
        stuckEmails: ["repositories.ops"],
        rawProviderPayloads: ["repositories.ops"],
        acpSessions: ["cleanupExpired"],
        stockReservations: ["repositories.stock"],
        accountDeleteRequests: [
          "repositories.ops",
          "repositories.stock",
          "repositories.account",
          "repositories.ledger",
          "repositories.session",
        ],
        stuckWorkflows: ["repositories.ops"],
        webhookRetries: ["repositories.ops"],
      };
      for (const [key, names] of Object.entries(needs) as [MikaMaintenanceTaskKey, string[]][]) {
        const outcome = run[key];
        expect(outcome, key).toMatchObject({ status: "skipped" });
        const reason = outcome.status === "skipped" ? outcome.reason : "";
        expect(reason, key).toMatch(/^[A-Z].*\.$/);
        for (const name of names) expect(reason, key).toContain(name);
        expect(reason, key).not.toContain("repositories.ephemeral");
      }
    },

    "a failing task is reported failed with its message and the other tasks still run": async ({
      repositories,
    }) => {
      const due = await seedDueWork(repositories);
      const instrumented = instrumentRepositories(repositories);
      instrumented.failOnce({
        port: "ops",
        method: "reclaimExhaustedEmails",
        error: new Error("deadlock detected"),
      });
      const { runner } = createTestRunner(instrumented.repositories);
      const run = await runner.runOnce({ now: T0 });
      expect(run.stuckEmails).toEqual({
        status: "failed",
        error: "deadlock detected",
        durationMs: expect.any(Number),
      });
      for (const key of TASK_KEYS.filter((k) => k !== "stuckEmails")) {
        expect(run[key].status, key).toBe("completed");
      }
      expect((await repositories.stock.getReservation(due.reservationId))?.status).toBe("expired");
      expect((await repositories.ops.getWorkflow(due.workflowId))?.status).toBe("failed");
      expect((await repositories.ops.getEmail(due.exhaustedEmailId))?.status).toBe("queued");
      const retry = await runner.runOnce({ now: T0 });
      expect(completed(retry.stuckEmails).reclaimed).toBe(1);
    },

    "a run reads the injected clock once and every task works at that instant": async ({
      repositories,
    }) => {
      const { stock } = repositories;
      const item = await seedStockItem(stock, 10);
      const runAt = at(SECOND);
      const atNow = await seedReservation(stock, {
        stockItemId: item.id,
        quantity: 1,
        expiresAt: runAt,
      });
      const later = await seedReservation(stock, {
        stockItemId: item.id,
        quantity: 1,
        expiresAt: at(1, runAt),
      });
      let reads = 0;
      const runner = createMikaMaintenanceRunner({
        repositories,
        now: () => {
          reads += 1;
          return new Date(Date.parse(T0) + reads * SECOND);
        },
      });
      const run = await runner.runOnce();
      expect(reads).toBe(1);
      expect(run.now).toBe(runAt);
      expect(completed(run.stockReservations).reservationsReleased).toBe(1);
      expect((await stock.getReservation(atNow.id))?.endedAt).toBe(runAt);
      expect((await stock.getReservation(later.id))?.status).toBe("active");
    },
  },
);
