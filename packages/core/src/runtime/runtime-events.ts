import type { MikaLaneRunStatus } from "../ports/runtime-state.ts";
import type { MikaLaneKey } from "../runner/results.ts";
import type { ISODateTime } from "../time.ts";

/** What triggered a pass: a lane of `run()`, a `tick()`, or an operator's `runLaneNow()`. */
export type MikaPassTrigger = "run" | "tick" | "manual";

/** One finished pass of one lane, as `onPass` and the logger see it. Log-safe. */
export interface MikaRuntimePassEvent {
  lane: MikaLaneKey;
  instanceId: string;
  trigger: MikaPassTrigger;
  status: MikaLaneRunStatus;
  startedAt: ISODateTime;
  finishedAt: ISODateTime;
  durationMs: number;
  /** Numeric and boolean fields of the task result (no items, no personal data). */
  counters: Record<string, number | boolean>;
  /** True when the task left work behind; the lane runs again soon. */
  hasMore: boolean;
  error?: string;
  reason?: string;
}

/** Everything the runtime reports while it runs, as typed signals for hosts and tests. */
export type MikaRuntimeEvent =
  | { type: "pass"; pass: MikaRuntimePassEvent }
  | { type: "leadership.acquired"; instanceId: string; term: number; at: ISODateTime }
  | {
      type: "leadership.lost";
      instanceId: string;
      term: number;
      reason: string;
      at: ISODateTime;
    }
  | { type: "leadership.resigned"; instanceId: string; term: number; at: ISODateTime }
  | {
      /** This process follows: another holds the lease (reported when the holder changes). */
      type: "leadership.waiting";
      instanceId: string;
      leader: string;
      term: number;
      expiresAt: ISODateTime;
      at: ISODateTime;
    }
  | { type: "heartbeat"; instanceId: string; isLeader: boolean; at: ISODateTime }
  | { type: "runtime.error"; instanceId: string; where: string; error: string; at: ISODateTime }
  | { type: "runtime.stopped"; instanceId: string; at: ISODateTime };

/** The levels the runtime logs at; idle passes go to `debug`. */
export type MikaLogLevel = "debug" | "info" | "warn" | "error";

/**
 * The logger interface core takes (core depends on no logging library): a pino logger fits
 * through a two-line adapter, as does `console`; `createConsoleLogger` is the default.
 */
export interface MikaRuntimeLogger {
  /** Idle passes and other routine detail; optional, dropped when absent. */
  debug?(message: string, fields: Record<string, unknown>): void;
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}
