import { describeMaintenanceStatus, type MikaLaneStatus } from "@mika-maintenance/core";
import { describe, expect, expectTypeOf, it } from "vitest";
import { defineMaintenanceConfig } from "../src/index.ts";

describe("config and status types", () => {
  it("rejects unknown lane, limit and top-level keys at compile time", () => {
    const good = defineMaintenanceConfig({
      lanes: { stockReservations: { intervalMs: 2_000 } },
      defaults: { emailLimit: 100 },
    });
    // @ts-expect-error `stockReservation` is not a lane (the lane is stockReservations).
    defineMaintenanceConfig({ lanes: { stockReservation: { intervalMs: 2_000 } } });
    // @ts-expect-error `emailLimt` is not a limit.
    defineMaintenanceConfig({ defaults: { emailLimt: 100 } });
    // @ts-expect-error `sendr` is not a config key.
    defineMaintenanceConfig({ sendr: async () => ({}) });
    // @ts-expect-error the function form's returned object is checked too.
    defineMaintenanceConfig(async () => ({ lanes: { stockReservation: {} } }));
    expect(good.lanes?.stockReservations?.intervalMs).toBe(2_000);
  });

  it("types describeMaintenanceStatus().lanes as the lanes, never an error union", async () => {
    const status = await describeMaintenanceStatus({ repositories: {} });
    expectTypeOf(status.lanes).toEqualTypeOf<MikaLaneStatus[]>();
    // Even unreadable, every lane is listed; the reason sits beside them.
    expect(status.lanes.map((lane) => lane.health)).toEqual(Array(9).fill("unknown"));
    expect(status.lanesError).toMatch(/runtimeState is not wired/);
  });
});
