import { describe, expect, it } from "vitest";
import {
  createMikaMaintenanceRunner,
  MIKA_DEFAULT_RUN_LIMITS,
  MikaMaintenanceOptionsError,
  resolveRunLimits,
} from "../src/index.ts";

function optionsError(run: () => unknown): MikaMaintenanceOptionsError {
  try {
    run();
  } catch (error) {
    if (error instanceof MikaMaintenanceOptionsError) return error;
    throw error;
  }
  throw new Error("expected a MikaMaintenanceOptionsError");
}

describe("resolveRunLimits", () => {
  it("fills every default", () => {
    expect(resolveRunLimits(undefined)).toEqual(MIKA_DEFAULT_RUN_LIMITS);
  });

  it("applies host defaults under the run's own options", () => {
    const limits = resolveRunLimits({ emailLimit: 3 }, { emailLimit: 10, acpSessionLimit: 7 });
    expect(limits.emailLimit).toBe(3);
    expect(limits.acpSessionLimit).toBe(7);
  });

  it.each([
    ["emailLimit", -1],
    ["stuckEmailLimit", 1.5],
    ["rawProviderPayloadLimit", Number.NaN],
    ["acpSessionLimit", Number.POSITIVE_INFINITY],
    ["accountDeleteLimit", "10"],
    ["stockReservationLimit", 100_001],
    ["rawProviderPayloadRetentionDays", -1],
    ["rawProviderPayloadRetentionDays", Number.POSITIVE_INFINITY],
    ["rawProviderPayloadRetentionDays", Number.NaN],
  ])("rejects %s = %s and names the field", (field, value) => {
    const error = optionsError(() => resolveRunLimits({ [field]: value }));
    expect(error.field).toBe(field);
    expect(error.code).toBe("MIKA_INVALID_OPTIONS");
    expect(error.message).toContain(field);
  });

  it("rejects unknown keys and lists the allowed ones", () => {
    const error = optionsError(() => resolveRunLimits({ emailLimt: 5 }));
    expect(error.field).toBe("emailLimt");
    expect(error.message).toContain("emailLimit");
  });

  it.each([
    [{ stripe: 30 }, "rawProviderPayloadRetentionDays.default", /needs a default/],
    [
      { default: 14, stripe: -1 },
      "rawProviderPayloadRetentionDays.stripe",
      /stripe must be a number of days from 0 to 36500/,
    ],
    [{ default: "14" }, "rawProviderPayloadRetentionDays.default", /default must be a number/],
    [{ default: 14, "": 3 }, "rawProviderPayloadRetentionDays", /non-empty keys/],
    [
      [14],
      "rawProviderPayloadRetentionDays",
      /or a map of them per provider with a default, got an array/,
    ],
  ])("rejects rawProviderPayloadRetentionDays = %j naming %s", (value, field, message) => {
    const error = optionsError(() => resolveRunLimits({ rawProviderPayloadRetentionDays: value }));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it("accepts retention per provider with a default", () => {
    const limits = resolveRunLimits({
      rawProviderPayloadRetentionDays: { default: 14, stripe: 30, paypal: 0.5 },
    });
    expect(limits.rawProviderPayloadRetentionDays).toEqual({
      default: 14,
      stripe: 30,
      paypal: 0.5,
    });
  });

  it("accepts zero limits and fractional retention", () => {
    const limits = resolveRunLimits({ emailLimit: 0, rawProviderPayloadRetentionDays: 0.5 });
    expect(limits.emailLimit).toBe(0);
    expect(limits.rawProviderPayloadRetentionDays).toBe(0.5);
  });
});

describe("runner option validation", () => {
  it("rejects an unparsable now before any task runs", async () => {
    let released = 0;
    const runner = createMikaMaintenanceRunner({
      releaseExpiredReservations: async () => {
        released += 1;
        return {};
      },
    });
    await expect(runner.runOnce({ now: "yesterday" })).rejects.toMatchObject({ field: "now" });
    await expect(runner.runOnce({ emailLimit: -5 })).rejects.toMatchObject({ field: "emailLimit" });
    expect(released).toBe(0);
  });

  it("normalises now to canonical UTC", async () => {
    const runner = createMikaMaintenanceRunner();
    const result = await runner.runOnce({ now: "2026-06-21T12:00:00+02:00" });
    expect(result.now).toBe("2026-06-21T10:00:00.000Z");
  });
});
