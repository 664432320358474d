import { describe, expect, it } from "vitest";
import { createConsoleLogger, createMikaMaintenanceRunner } from "../src/index.ts";

const NOW = "2026-06-21T10:00:00.000Z";

describe("secrets in the runner's task failures and the JSON line logger", () => {
  it("masks a URL's password and token quoted by a failing dependency", async () => {
    const result = await createMikaMaintenanceRunner({
      cleanupExpiredAcpSessions: async () => {
        throw new Error(
          "cannot reach postgres://shop:pw-9kq@db.internal/shop?password=pw-9kq&sslmode=require",
        );
      },
      releaseExpiredReservations: async () => {
        throw "HTTP 401 from libsql://db.turso.io?authToken=tok-77z (Bearer tok-77z)";
      },
    }).runOnce({ now: NOW });
    expect(result.acpSessions).toMatchObject({
      status: "failed",
      error: "cannot reach postgres://shop:***@db.internal/shop?password=***&sslmode=require",
    });
    expect(result.stockReservations).toMatchObject({
      status: "failed",
      error: "HTTP 401 from libsql://db.turso.io?authToken=*** (Bearer ***)",
    });
  });

  it("writes valid JSON lines with secrets masked in the message and every field", () => {
    const lines: string[] = [];
    const logger = createConsoleLogger({
      write: (line) => lines.push(line),
      clock: () => Date.parse(NOW),
    });
    logger.error('open "postgres://u:pw-1@h/db" failed', {
      url: "libsql://h?authToken=tok-2",
      options: { password: "pw-3", busyTimeoutMs: 5000 },
      note: 'say "password=pw-4"',
    });
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      time: NOW,
      level: "error",
      msg: 'open "postgres://u:***@h/db" failed',
      url: "libsql://h?authToken=***",
      options: { password: "***", busyTimeoutMs: 5000 },
      note: 'say "password=***"',
    });
  });
});
