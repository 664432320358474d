import {
  MikaMaintenanceOptionsError,
  type MikaMaintenanceRunOptions,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import type { MikaConformanceContext } from "../context.ts";
import { defineConformanceGroup } from "../define-group.ts";
import { T0 } from "../support/clock.ts";
import { createTestRunner } from "../support/runners.ts";
import { seedDueWork } from "../support/seed-due-work.ts";

/** Invalid run options, each with the field the error must name. */
const INVALID_OPTIONS: [label: string, options: Record<string, unknown>, field: string][] = [
  ["a negative limit", { emailLimit: -1 }, "emailLimit"],
  ["a fractional limit", { stuckEmailLimit: 1.5 }, "stuckEmailLimit"],
  ["a NaN limit", { acpSessionLimit: Number.NaN }, "acpSessionLimit"],
  [
    "an infinite limit",
    { stockReservationLimit: Number.POSITIVE_INFINITY },
    "stockReservationLimit",
  ],
  ["a limit given as a string", { accountDeleteLimit: "10" }, "accountDeleteLimit"],
  ["a limit above the maximum", { ephemeralRecordLimit: 100_001 }, "ephemeralRecordLimit"],
  ["a negative workflow limit", { stuckWorkflowLimit: -5 }, "stuckWorkflowLimit"],
  ["an unknown key", { emailLimt: 5 }, "emailLimt"],
  ["an unparsable now", { now: "next tuesday" }, "now"],
  ["an invalid Date as now", { now: new Date(Number.NaN) }, "now"],
  ["a bare number as now", { now: "1" }, "now"],
  ["a month name as now", { now: "March 7" }, "now"],
  ["30 February as now", { now: "2026-02-30T10:00:00Z" }, "now"],
  ["a now without a zone", { now: "2026-06-21T10:00:00" }, "now"],
  [
    "a negative retention",
    { rawProviderPayloadRetentionDays: -1 },
    "rawProviderPayloadRetentionDays",
  ],
  [
    "an infinite retention",
    { rawProviderPayloadRetentionDays: Number.POSITIVE_INFINITY },
    "rawProviderPayloadRetentionDays",
  ],
  [
    "a retention of 1e308 days",
    { rawProviderPayloadRetentionDays: 1e308 },
    "rawProviderPayloadRetentionDays",
  ],
  [
    "a NaN retention",
    { rawProviderPayloadRetentionDays: Number.NaN },
    "rawProviderPayloadRetentionDays",
  ],
];

async function expectRejectedBeforeAnyTask(
  { repositories, dumpTables }: MikaConformanceContext,
  options: Record<string, unknown>,
  field: string,
) {
  await seedDueWork(repositories);
  const before = await dumpTables();
  const { runner, sender } = createTestRunner(repositories);
  const error = await runner.runOnce({ now: T0, ...options } as MikaMaintenanceRunOptions).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(MikaMaintenanceOptionsError);
  const optionsError = error as MikaMaintenanceOptionsError;
  expect(optionsError.code).toBe("MIKA_INVALID_OPTIONS");
  expect(optionsError.field).toBe(field);
  expect(optionsError.message).toContain(field);
  expect(sender.attempts).toEqual([]);
  expect(await dumpTables()).toEqual(before);
}

/** Run options are validated before any task touches the store. */
export const runOptionsGroup = defineConformanceGroup(
  "runOptions",
  "invalid run options are rejected naming the field, before any task changes anything",
  {
    ...Object.fromEntries(
      INVALID_OPTIONS.map(([label, options, field]) => [
        `${label} is rejected naming ${field}, and nothing in the store changes`,
        (context: MikaConformanceContext) => expectRejectedBeforeAnyTask(context, options, field),
      ]),
    ),

    "limits of 0 are valid and change nothing in the store": async ({
      repositories,
      dumpTables,
    }) => {
      await seedDueWork(repositories);
      const before = await dumpTables();
      const { runner, sender } = createTestRunner(repositories);
      const run = await runner.runOnce({
        now: T0,
        emailLimit: 0,
        stuckEmailLimit: 0,
        rawProviderPayloadLimit: 0,
        rawProviderPayloadRetentionDays: 0,
        acpSessionLimit: 0,
        accountDeleteLimit: 0,
        stuckWorkflowLimit: 0,
        stockReservationLimit: 0,
        ephemeralRecordLimit: 0,
        webhookRetryLimit: 0,
      });
      for (const [key, outcome] of Object.entries(run)) {
        if (key !== "now") expect((outcome as { status: string }).status, key).toBe("completed");
      }
      expect(sender.attempts).toEqual([]);
      expect(await dumpTables()).toEqual(before);
    },
  },
);
