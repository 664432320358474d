import { errorMessage } from "../errors.ts";
import type { MikaRuntimeStatePort } from "../ports/runtime-state.ts";
import { raceWork } from "./abort.ts";
import type { MikaRuntimeReporter } from "./runtime-reporter.ts";
import type { MikaRuntimeScheduler } from "./scheduler.ts";

/** Writes this process's liveness record and prunes the runtime's own history. */
export interface MikaHeartbeat {
  /** Beats every `heartbeatMs` (pruning every `pruneEveryMs`) until `stop` aborts. */
  run(stop: AbortSignal): Promise<void>;
  /** Writes one heartbeat now; concurrent calls are serialized. */
  beat(): Promise<void>;
  /** Deletes lane runs beyond the retention count and heartbeats past the retention age. */
  prune(): Promise<void>;
}

/** Creates the heartbeat of one runtime instance. */
export function createHeartbeat(options: {
  runtimeState: MikaRuntimeStatePort;
  scheduler: MikaRuntimeScheduler;
  reporter: MikaRuntimeReporter;
  instanceId: string;
  host: string;
  pid: number;
  isLeader: () => boolean;
  heartbeatMs: number;
  pruneEveryMs: number;
  keepRunsPerLane: number;
  heartbeatRetentionMs: number;
  storeTimeoutMs: number;
}): MikaHeartbeat {
  const { runtimeState, scheduler, reporter, instanceId } = options;
  const iso = (ms: number) => new Date(ms).toISOString();
  let startedAt: string | null = null;
  let chain: Promise<void> = Promise.resolve();

  async function bounded(where: string, work: Promise<unknown>): Promise<boolean> {
    const outcome = await raceWork(work, options.storeTimeoutMs, scheduler);
    if (outcome.kind === "done") return true;
    reporter.event({
      type: "runtime.error",
      instanceId,
      where,
      error:
        outcome.kind === "error"
          ? errorMessage(outcome.error)
          : `no answer within ${options.storeTimeoutMs} ms`,
      at: iso(scheduler.now()),
    });
    return false;
  }

  async function writeBeat(): Promise<void> {
    const now = iso(scheduler.now());
    startedAt ??= now;
    const isLeader = options.isLeader();
    const ok = await bounded(
      "recordHeartbeat",
      runtimeState.recordHeartbeat({
        instanceId,
        host: options.host,
        pid: options.pid,
        startedAt,
        lastBeatAt: now,
        isLeader,
      }),
    );
    if (ok) reporter.event({ type: "heartbeat", instanceId, isLeader, at: now });
  }

  async function prune(): Promise<void> {
    await bounded(
      "pruneLaneRuns",
      runtimeState.pruneLaneRuns({ keepPerLane: options.keepRunsPerLane }),
    );
    await bounded(
      "pruneHeartbeats",
      runtimeState.pruneHeartbeats({
        before: iso(scheduler.now() - options.heartbeatRetentionMs),
      }),
    );
  }

  function beat(): Promise<void> {
    chain = chain.then(writeBeat);
    return chain;
  }

  return {
    beat,
    prune,
    async run(stop) {
      let lastPruneAt = Number.NEGATIVE_INFINITY;
      while (!stop.aborted) {
        await beat();
        if (scheduler.now() - lastPruneAt >= options.pruneEveryMs) {
          lastPruneAt = scheduler.now();
          await prune();
        }
        await scheduler.sleep(options.heartbeatMs, stop);
      }
    },
  };
}
