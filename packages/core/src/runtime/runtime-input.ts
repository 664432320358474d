import type { MikaLeadershipPort } from "../ports/leadership.ts";
import type { MikaRuntimeStatePort } from "../ports/runtime-state.ts";
import type { MikaLaneKey } from "../runner/results.ts";
import { MIKA_RUNNER_INPUT_KEYS, type MikaMaintenanceRunnerInput } from "../runner/runner-input.ts";
import type { MikaOptionKeyTable } from "../validation/option-keys.ts";
import type { MikaLaneSettings } from "./lane-defaults.ts";
import type {
  MikaRuntimeEvent,
  MikaRuntimeLogger,
  MikaRuntimePassEvent,
} from "./runtime-events.ts";
import type { MikaRuntimeScheduler } from "./scheduler.ts";

/** Per-lane overrides of the default schedule. */
export type MikaLaneOverride = Partial<
  Pick<MikaLaneSettings, "intervalMs" | "timeoutMs" | "enabled">
>;

/** Inputs of `createMaintenanceRuntime`: the runner's dependencies plus the runtime's own. */
export interface MikaMaintenanceRuntimeInput extends MikaMaintenanceRunnerInput {
  /** Leader election; default `repositories.leadership`. */
  leadership?: MikaLeadershipPort;
  /** Heartbeats, lane runs and lane claims; default `repositories.runtimeState`. */
  runtimeState?: MikaRuntimeStatePort;
  /** Per-lane overrides, keyed by task key (built-in or host-defined). */
  lanes?: Partial<Record<MikaLaneKey, MikaLaneOverride>>;
  /** Structured logger; default one JSON line per event on the console; `false` silences it. */
  logger?: MikaRuntimeLogger | false;
  /** Called after every pass with its lane, duration, status and counters. */
  onPass?: (event: MikaRuntimePassEvent) => void;
  /** Called for every runtime event (passes, leadership changes, heartbeats, errors). */
  onEvent?: (event: MikaRuntimeEvent) => void;
  /** Stops `run()` and `tick()` gracefully when aborted. */
  signal?: AbortSignal;
  /** Time and timers; default the system scheduler over `now` (the runner clock). */
  scheduler?: MikaRuntimeScheduler;
  /** Random source for jitter, in [0, 1); default `Math.random`. */
  random?: () => number;
  /** This process's id in heartbeats, lane runs and the leadership row; default a UUID. */
  instanceId?: string;
  /** Host name shown by `status`; default `HOSTNAME` or "unknown". */
  host?: string;
  /** The leadership row's name; replicas that share it elect one leader. */
  leaderName?: string;
  /** How long a leadership lease lasts without renewal. Default 30 000 ms. */
  leaseTtlMs?: number;
  /** How often the leader renews (and a follower retries). Default a third of the TTL. */
  renewEveryMs?: number;
  /** How often the liveness heartbeat is written. Default 10 000 ms. */
  heartbeatMs?: number;
  /** Base delay before a lane that reported `hasMore` runs again (jittered). Default 250 ms. */
  hasMoreDelayMs?: number;
  /** How long shutdown waits for in-flight passes to reach a batch boundary. Default 10 000 ms. */
  shutdownGraceMs?: number;
  /** History the runtime keeps: lane runs per lane, and heartbeat age. */
  retention?: { runsPerLane?: number; heartbeatMs?: number };
}

/** Every key of `MikaMaintenanceRuntimeInput` (the runner's plus the runtime's own). */
export const MIKA_RUNTIME_INPUT_KEYS = {
  ...MIKA_RUNNER_INPUT_KEYS,
  leadership: true,
  runtimeState: true,
  lanes: true,
  logger: true,
  onPass: true,
  onEvent: true,
  signal: true,
  scheduler: true,
  random: true,
  instanceId: true,
  host: true,
  leaderName: true,
  leaseTtlMs: true,
  renewEveryMs: true,
  heartbeatMs: true,
  hasMoreDelayMs: true,
  shutdownGraceMs: true,
  retention: true,
} as const satisfies MikaOptionKeyTable<MikaMaintenanceRuntimeInput>;

/** Every key of the runtime's `retention` option. */
export const MIKA_RUNTIME_RETENTION_KEYS = {
  runsPerLane: true,
  heartbeatMs: true,
} as const satisfies MikaOptionKeyTable<NonNullable<MikaMaintenanceRuntimeInput["retention"]>>;
