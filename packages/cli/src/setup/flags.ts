import { MIKA_MAINTENANCE_TASKS, type MikaMaintenanceTaskKey } from "@mika-maintenance/core";
import { z } from "zod";
import { MikaCliInputError } from "../errors.ts";

const LANES = MIKA_MAINTENANCE_TASKS.map((task) => task.key) as [
  MikaMaintenanceTaskKey,
  ...MikaMaintenanceTaskKey[],
];

/** A whole number of milliseconds within bounds, from a flag's string value. */
export function msFlag(flag: string, raw: unknown, min: number, max: number): number {
  return wholeNumberFlag(flag, raw, min, max, "milliseconds");
}

/** A count of `things` (emails, items; not milliseconds) within bounds, from a flag's value. */
export function countFlag(
  flag: string,
  raw: unknown,
  min: number,
  max: number,
  things: string,
): number {
  return wholeNumberFlag(flag, raw, min, max, things);
}

function wholeNumberFlag(flag: string, raw: unknown, min: number, max: number, unit: string) {
  const parsed = z
    .string()
    .trim()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .safeParse(raw);
  if (!parsed.success) {
    throw new MikaCliInputError(
      `${flag} must be a whole number of ${unit} from ${min} to ${max}, got ${JSON.stringify(raw)}.`,
    );
  }
  return parsed.data;
}

/** A name-like flag (instance id, leader name). */
export function nameFlag(flag: string, raw: unknown): string {
  const parsed = z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[\w.:@-]+$/)
    .safeParse(raw);
  if (!parsed.success) {
    throw new MikaCliInputError(
      `${flag} must be 1 to 200 letters, digits or . _ : @ -, got ${JSON.stringify(raw)}.`,
    );
  }
  return parsed.data;
}

/** A lane name. */
export function laneName(flag: string, raw: string): MikaMaintenanceTaskKey {
  const parsed = z.enum(LANES).safeParse(raw.trim());
  if (!parsed.success) {
    throw new MikaCliInputError(
      `${flag} names an unknown lane ${JSON.stringify(raw)}; lanes are ${LANES.join(", ")}.`,
    );
  }
  return parsed.data;
}

/** Lane overrides from `--interval lane=ms`, `--timeout lane=ms` and `--disable lane`. */
export function laneFlags(options: {
  interval?: string[];
  timeout?: string[];
  disable?: string[];
}): Partial<
  Record<MikaMaintenanceTaskKey, { intervalMs?: number; timeoutMs?: number; enabled?: boolean }>
> {
  const lanes: Partial<
    Record<MikaMaintenanceTaskKey, { intervalMs?: number; timeoutMs?: number; enabled?: boolean }>
  > = {};
  const pairs = (flag: string, values: string[] | undefined, min: number, max: number) =>
    (values ?? []).map((value) => {
      const [lane, ms, ...rest] = value.split("=");
      if (lane === undefined || ms === undefined || rest.length > 0) {
        throw new MikaCliInputError(
          `${flag} takes <lane>=<milliseconds>, got ${JSON.stringify(value)}.`,
        );
      }
      const key = laneName(flag, lane);
      return [key, msFlag(`${flag} ${key}`, ms, min, max)] as const;
    });
  for (const [lane, ms] of pairs("--interval", options.interval, 100, 86_400_000)) {
    lanes[lane] = { ...lanes[lane], intervalMs: ms };
  }
  for (const [lane, ms] of pairs("--timeout", options.timeout, 100, 3_600_000)) {
    lanes[lane] = { ...lanes[lane], timeoutMs: ms };
  }
  for (const value of options.disable ?? []) {
    const lane = laneName("--disable", value);
    lanes[lane] = { ...lanes[lane], enabled: false };
  }
  return lanes;
}

/** Collects a repeatable flag's values; one value may list several, comma-separated (env vars). */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  ];
}

/** Every lane (task key), in run order, for messages and help. */
export const LANE_NAMES: readonly MikaMaintenanceTaskKey[] = LANES;
