import { describe, expect, it } from "vitest";
import {
  createMikaMaintenanceRunner,
  hasFailedTask,
  MIKA_MAINTENANCE_TASKS,
  summarizeMaintenanceResult,
} from "../src/index.ts";

const NOW = "2026-06-21T10:00:00.000Z";

describe("createMikaMaintenanceRunner", () => {
  it("returns one result per task, in registry order, and skips what is not wired", async () => {
    const result = await createMikaMaintenanceRunner().runOnce({ now: NOW });
    expect(Object.keys(result)).toEqual(["now", ...MIKA_MAINTENANCE_TASKS.map((t) => t.key)]);
    for (const task of MIKA_MAINTENANCE_TASKS) {
      const outcome = result[task.key];
      expect(outcome.status).toBe("skipped");
      if (outcome.status === "skipped") {
        expect(outcome.reason).toMatch(/^The \w+ task needs .+, which the host did not provide\.$/);
      }
    }
  });

  it("names every missing account-delete port in the skip reason", async () => {
    const result = await createMikaMaintenanceRunner({
      repositories: { ops: {} as never, ephemeral: {} as never },
    }).runOnce({ now: NOW });
    expect(result.accountDeleteRequests).toEqual({
      status: "skipped",
      reason:
        "The accountDeleteRequests task needs repositories.stock, repositories.account, repositories.ledger, repositories.session, which the host did not provide.",
    });
  });

  it("turns a thrown error into failed while the other tasks still run", async () => {
    const calls: string[] = [];
    const result = await createMikaMaintenanceRunner({
      cleanupExpiredAcpSessions: async () => {
        calls.push("acp");
        throw new Error("ACP store offline");
      },
      releaseExpiredReservations: async () => {
        calls.push("stock");
        return { reservationsReleased: 2 };
      },
      purgeExpiredEphemeralRecords: async ({ now, limit }) => {
        calls.push(`ephemeral ${now} ${limit}`);
        return { purged: 1, hasMore: false };
      },
    }).runOnce({ now: NOW, ephemeralRecordLimit: 7 });
    expect(calls).toEqual(["acp", "stock", `ephemeral ${NOW} 7`]);
    expect(result.acpSessions).toMatchObject({ status: "failed", error: "ACP store offline" });
    expect(result.stockReservations).toMatchObject({
      status: "completed",
      result: { reservationsScanned: 0, reservationsReleased: 2, stockItems: 0, hasMore: false },
    });
    expect(hasFailedTask(result)).toBe(true);
  });

  it("resolves now once per run from the injected clock", async () => {
    const seen: string[] = [];
    let ticks = 0;
    const runner = createMikaMaintenanceRunner({
      now: () => new Date(Date.parse(NOW) + 1000 * ticks++),
      releaseExpiredReservations: async ({ now }) => {
        seen.push(now);
        return {};
      },
      purgeExpiredEphemeralRecords: async ({ now }) => {
        seen.push(now);
        return { purged: 0, hasMore: false };
      },
    });
    const result = await runner.runOnce();
    expect(seen).toEqual([NOW, NOW]);
    expect(result.now).toBe(NOW);
  });

  it("runs a single task with runTask", async () => {
    const runner = createMikaMaintenanceRunner({
      releaseExpiredReservations: async ({ limit }) => ({ reservationsScanned: limit }),
    });
    const outcome = await runner.runTask("stockReservations", {
      now: NOW,
      stockReservationLimit: 9,
    });
    expect(outcome).toMatchObject({
      status: "completed",
      now: NOW,
      result: { reservationsScanned: 9 },
    });
    await expect(runner.runTask("nope" as never)).rejects.toMatchObject({ field: "task" });
  });
});

describe("stock reservation dependency order", () => {
  it("prefers the host function over the admin API and the repository", async () => {
    const used: string[] = [];
    await createMikaMaintenanceRunner({
      releaseExpiredReservations: async () => {
        used.push("function");
        return {};
      },
      api: {
        admin: {
          releaseExpiredReservations: async () => {
            used.push("api");
            return { ok: true };
          },
        },
      },
    }).runOnce({ now: NOW });
    expect(used).toEqual(["function"]);
  });

  it("uses the admin API, counting missing counters as 0", async () => {
    const result = await createMikaMaintenanceRunner({
      api: {
        admin: {
          releaseExpiredReservations: async ({ now }) => {
            expect(now).toBe(NOW);
            return { ok: true, data: { affected: { reservationsReleased: 4 } } };
          },
        },
      },
    }).runOnce({ now: NOW });
    expect(result.stockReservations).toMatchObject({
      status: "completed",
      result: { reservationsScanned: 0, reservationsReleased: 4, stockItems: 0, hasMore: false },
    });
  });

  it("fails the task with the admin API's message when it answers ok: false", async () => {
    const result = await createMikaMaintenanceRunner({
      api: {
        admin: {
          releaseExpiredReservations: async () => ({
            ok: false,
            error: { message: "stock service unavailable" },
          }),
        },
      },
    }).runOnce({ now: NOW });
    expect(result.stockReservations).toMatchObject({
      status: "failed",
      error: "stock service unavailable",
    });
  });
});

describe("summarizeMaintenanceResult", () => {
  it("keeps counters and drops item lists", async () => {
    const counters = {
      scanned: 1,
      leased: 1,
      sent: 1,
      failed: 0,
      skipped: 0,
      leaseMissed: 0,
      leaseLost: 0,
      hasMore: false,
    };
    const result = await createMikaMaintenanceRunner({
      emailOutboxRunner: {
        runOnce: async () => ({ ...counters, items: [{ emailId: "e1", status: "sent" }] }),
      },
      cleanupExpiredAcpSessions: async () => {
        throw new Error("boom");
      },
    }).runOnce({ now: NOW });
    const summary = summarizeMaintenanceResult(result);
    expect(summary.ok).toBe(false);
    expect(summary.failed).toEqual(["acpSessions"]);
    expect(summary.skipped).toContain("stuckEmails");
    expect(summary.tasks.emailOutbox?.counters).toEqual(counters);
    expect(JSON.stringify(summary)).not.toContain("e1");
  });
});
