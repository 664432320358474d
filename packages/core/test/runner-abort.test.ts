import { describe, expect, it } from "vitest";
import {
  createMikaMaintenanceRunner,
  flattenMaintenanceSummary,
  MIKA_MAINTENANCE_TASKS,
  summarizeMaintenanceResult,
} from "../src/index.ts";

const NOW = "2026-06-21T10:00:00.000Z";

describe("runOnce() and its abort signal", () => {
  it("starts no task after the signal aborts and names the tasks it did not start", async () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const result = await createMikaMaintenanceRunner({
      cleanupExpiredAcpSessions: async () => {
        calls.push("acpSessions");
        // The caller gives up while this task runs (EmDash's hook timeout).
        controller.abort(new DOMException("timed out", "TimeoutError"));
        return { scanned: 1, expired: 1, purged: 0, hasMore: false };
      },
      releaseExpiredReservations: async () => {
        calls.push("stockReservations");
        return { reservationsReleased: 1 };
      },
      purgeExpiredEphemeralRecords: async () => {
        calls.push("ephemeralRecords");
        return { purged: 1, hasMore: false };
      },
    }).runOnce({ now: NOW, signal: controller.signal });

    expect(calls).toEqual(["acpSessions"]);
    expect(result.acpSessions).toMatchObject({ status: "completed" });
    for (const key of ["stockReservations", "ephemeralRecords"] as const) {
      expect(result[key]).toEqual({
        status: "skipped",
        reason: "Not started: the run was aborted before this task (the run's time limit passed).",
        notStarted: true,
      });
    }
    const summary = summarizeMaintenanceResult(result);
    const afterAcp = MIKA_MAINTENANCE_TASKS.map((task) => task.key).slice(
      MIKA_MAINTENANCE_TASKS.findIndex((task) => task.key === "acpSessions") + 1,
    );
    expect(summary.notStarted).toEqual(afterAcp);
  });

  it("starts nothing when the signal is already aborted", async () => {
    const calls: string[] = [];
    const result = await createMikaMaintenanceRunner({
      releaseExpiredReservations: async () => {
        calls.push("stock");
        return {};
      },
    }).runOnce({ now: NOW, signal: AbortSignal.abort("server shutting down") });
    expect(calls).toEqual([]);
    expect(result.stockReservations).toMatchObject({
      notStarted: true,
      reason: "Not started: the run was aborted before this task (server shutting down).",
    });
  });
});

describe("flattenMaintenanceSummary()", () => {
  it("gives one level of scalar fields with one readable line per task", async () => {
    const result = await createMikaMaintenanceRunner({
      releaseExpiredReservations: async () => ({ reservationsReleased: 2, stockItems: 1 }),
      cleanupExpiredAcpSessions: async () => {
        throw new Error("ACP store offline");
      },
    }).runOnce({ now: NOW });
    const flat = flattenMaintenanceSummary(summarizeMaintenanceResult(result));
    for (const value of Object.values(flat)) expect(typeof value).not.toBe("object");
    expect(flat).toMatchObject({
      now: NOW,
      ok: false,
      failed: "acpSessions",
      notStarted: "none",
      stockReservations: expect.stringMatching(
        /^completed in \d+ ms: reservationsScanned=0 reservationsReleased=2 stockItems=1 hasMore=false$/,
      ),
      acpSessions: expect.stringMatching(/^failed in \d+ ms: ACP store offline$/),
      emailOutbox: expect.stringMatching(/^skipped: The emailOutbox task needs /),
    });
    // What Node's console prints: no nested object is abbreviated.
    const { inspect } = await import("node:util");
    expect(inspect(flat)).not.toContain("[Object]");
  });
});
