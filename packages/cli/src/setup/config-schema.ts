import {
  MIKA_DEFAULT_RUN_LIMITS,
  type MikaAcpCleanupInput,
  type MikaAcpCleanupResult,
  type MikaEmailOutboxRecord,
  type MikaEmailSender,
  type MikaHostTasks,
  type MikaMaintenanceHostApi,
  type MikaMaintenanceLimitName,
  type MikaMaintenanceRunnerInput,
  type MikaPreparedEmail,
  type MikaRuntimePassEvent,
} from "@mika-maintenance/core";
import { z } from "zod";
import type { MikaCliConfig } from "../maintenance-config.ts";

type AnyFunction = (...args: never[]) => unknown;

const fn = <T extends AnyFunction>() =>
  z.custom<T>((value) => typeof value === "function", {
    error: (issue) => `must be a function, got ${describe(issue.input)}`,
  });

const wholeMs = (min: number, max: number) =>
  z
    .number({ error: (issue) => `must be a number of milliseconds, got ${describe(issue.input)}` })
    .int({ error: "must be a whole number of milliseconds" })
    .min(min, { error: `must be at least ${min} ms` })
    .max(max, { error: `must be at most ${max} ms` });

const laneOverride = z.strictObject({
  intervalMs: wholeMs(100, 86_400_000).optional(),
  timeoutMs: wholeMs(100, 3_600_000).optional(),
  enabled: z.boolean({ error: "must be true or false" }).optional(),
});

const limitKeys = Object.keys(MIKA_DEFAULT_RUN_LIMITS) as [
  MikaMaintenanceLimitName,
  ...MikaMaintenanceLimitName[],
];

/** What a `--config` module exports (default export, or a function of `{ repositories }`). */
export const cliConfigSchema = z.strictObject({
  /** Delivers one email; without it the outbox is reported as skipped, never faked. */
  sender: fn<MikaEmailSender>().optional(),
  /** Builds the message from the stored email, or skips it. */
  prepare:
    fn<
      (email: MikaEmailOutboxRecord) => MikaPreparedEmail | Promise<MikaPreparedEmail>
    >().optional(),
  /** Email lease length in ms (default 300 000). */
  emailLeaseMs: wholeMs(1_000, 3_600_000).optional(),
  /** Email sends in flight per process (default 8). */
  emailConcurrency: z
    .number({ error: (issue) => `must be a whole number, got ${describe(issue.input)}` })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(1_000, { error: "must be at most 1000" })
    .optional(),
  /** Cap on email sends started per second by this process (split a provider's limit across replicas). */
  emailMaxPerSecond: z
    .number({
      error: (issue) => `must be a number of sends per second, got ${describe(issue.input)}`,
    })
    .positive({ error: "must be more than 0" })
    .optional(),
  acpSessionStore: z
    .looseObject({
      cleanupExpired: fn<(input: MikaAcpCleanupInput) => Promise<MikaAcpCleanupResult>>(),
    })
    .optional(),
  cleanupExpiredAcpSessions:
    fn<(input: MikaAcpCleanupInput) => Promise<MikaAcpCleanupResult>>().optional(),
  releaseExpiredReservations:
    fn<NonNullable<MikaMaintenanceRunnerInput["releaseExpiredReservations"]>>().optional(),
  purgeExpiredEphemeralRecords:
    fn<NonNullable<MikaMaintenanceRunnerInput["purgeExpiredEphemeralRecords"]>>().optional(),
  api: z
    .custom<MikaMaintenanceHostApi>((value) => typeof value === "object" && value !== null, {
      error: (issue) => `must be an object, got ${describe(issue.input)}`,
    })
    .optional(),
  /** Run limits (emailLimit, stockReservationLimit, …), validated again by core. */
  defaults: z.partialRecord(z.enum(limitKeys), z.number({ error: "must be a number" })).optional(),
  /** Host-defined tasks (`defineMaintenanceTask`), validated by core. */
  tasks: z
    .array(
      z.custom<MikaHostTasks[number]>((value) => typeof value === "object" && value !== null, {
        error: (issue) =>
          `must be a defineMaintenanceTask(...) definition, got ${describe(issue.input)}`,
      }),
    )
    .readonly()
    .optional(),
  /** Per-lane overrides by task key (built-in or host-defined); core rejects unknown lanes. */
  lanes: z.partialRecord(z.string(), laneOverride).optional(),
  runtime: z
    .strictObject({
      leaderName: z.string().min(1).max(200).optional(),
      leaseTtlMs: wholeMs(1_000, 3_600_000).optional(),
      renewEveryMs: wholeMs(100, 3_600_000).optional(),
      heartbeatMs: wholeMs(100, 3_600_000).optional(),
      hasMoreDelayMs: wholeMs(0, 60_000).optional(),
      shutdownGraceMs: wholeMs(0, 3_600_000).optional(),
      retention: z
        .strictObject({
          runsPerLane: z.number().int().min(1).max(100_000).optional(),
          heartbeatMs: wholeMs(1_000, 31_536_000_000).optional(),
        })
        .optional(),
    })
    .optional(),
  /** Called after every runtime pass (for metrics). */
  onPass: fn<(event: MikaRuntimePassEvent) => void>().optional(),
});

export type { MikaCliConfig } from "../maintenance-config.ts";

// The public MikaCliConfig is written out by hand; this fails to compile when the two differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const configTypeMatchesSchema: Same<z.infer<typeof cliConfigSchema>, MikaCliConfig> = true;
void configTypeMatchesSchema;

/** Describes a value for an error message without echoing secrets. */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return "a string";
  if (typeof value === "number" || typeof value === "boolean")
    return `${typeof value} ${String(value)}`;
  return `a ${typeof value}`;
}
