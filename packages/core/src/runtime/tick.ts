import type { ISODateTime } from "../time.ts";
import { raceWork } from "./abort.ts";
import { claimLane, readLaneStates } from "./claim-lane.ts";
import type { MikaLaneKind, MikaResolvedLane } from "./lane-defaults.ts";
import { readPausedLanes } from "./lane-pauses.ts";
import { type MikaPassContext, runLanePass } from "./run-lane-pass.ts";
import type { MikaRuntimePassEvent } from "./runtime-events.ts";

/** Why a lane did or did not run in a tick. */
export type MikaTickLaneOutcome =
  | "ran"
  | "not_due"
  | "claimed_elsewhere"
  | "disabled"
  | "paused"
  | "error"
  | "out_of_budget";

/** One lane's part of a tick. */
export interface MikaTickLaneReport {
  lane: MikaResolvedLane["lane"];
  kind: MikaLaneKind;
  outcome: MikaTickLaneOutcome;
  /** Every pass this tick ran for the lane (more than one when a pass reported `hasMore`). */
  passes: MikaRuntimePassEvent[];
  /** When the lane is next due, as far as this tick knows. */
  nextDueAt: ISODateTime | null;
  error?: string;
}

/** What `tick()` did, lane by lane. */
export interface MikaTickReport {
  instanceId: string;
  startedAt: ISODateTime;
  finishedAt: ISODateTime;
  durationMs: number;
  budgetMs: number;
  /**
   * False when a pass failed or was abandoned, a lane could not be claimed for an error, or
   * the budget ran out before a due lane ran.
   */
  ok: boolean;
  lanes: MikaTickLaneReport[];
}

/** How `tick()` runs; see `createMaintenanceRuntime`. */
export interface MikaTickPlan {
  context: MikaPassContext;
  lanes: readonly MikaResolvedLane[];
  budgetMs: number;
  stop: AbortSignal;
  /** Upper bound on passes per lane in one tick, whatever `hasMore` says. */
  maxPassesPerLane: number;
  /** Written beside the lanes, never before them: a slow store write must not eat the budget. */
  heartbeat(): Promise<void>;
  /** Runs after the lanes when budget remains. */
  afterLanes(): Promise<void>;
}

/**
 * Runs every due lane once (again while it reports `hasMore` and budget remains), all lanes
 * concurrently, each claimed by compare-and-set so concurrent ticks never run the same lane
 * twice. Every pass is bounded by what is left of the budget; the report comes back within
 * `budgetMs` even when a store call hangs.
 */
export async function runTick(plan: MikaTickPlan): Promise<MikaTickReport> {
  const { context, budgetMs, stop } = plan;
  const { scheduler } = context;
  const iso = (ms: number) => new Date(ms).toISOString();
  const startedMs = scheduler.now();
  const deadline = startedMs + budgetMs;
  // Time kept back at the end to record the runs of passes cut short by the budget.
  const reserveMs = Math.min(Math.floor(budgetMs / 10), 2_000);
  const remaining = () => deadline - reserveMs - scheduler.now();

  const reports = plan.lanes.map(
    (lane): MikaTickLaneReport => ({
      lane: lane.lane,
      kind: lane.kind,
      outcome: lane.enabled ? "out_of_budget" : "disabled",
      passes: [],
      nextDueAt: null,
    }),
  );
  const reportOf = (lane: MikaResolvedLane) => reports.find((report) => report.lane === lane.lane)!;

  async function tickLane(lane: MikaResolvedLane, last: ISODateTime | null): Promise<void> {
    const report = reportOf(lane);
    if (remaining() <= 0) return;
    let claim = await claimLane(context, lane.lane, last);
    if (claim.kind === "taken") {
      report.outcome = "claimed_elsewhere";
      return;
    }
    if (claim.kind === "error") {
      report.outcome = "error";
      report.error = claim.error;
      return;
    }
    while (claim.kind === "claimed") {
      report.nextDueAt = iso(Date.parse(claim.lastStartedAt) + lane.intervalMs);
      const timeoutMs = Math.min(lane.timeoutMs, remaining());
      if (timeoutMs <= 0) return;
      const { event } = await runLanePass(context, lane, {
        trigger: "tick",
        timeoutMs,
        signal: stop,
        hardStop: stop,
      });
      report.passes.push(event);
      report.outcome = "ran";
      const again =
        event.status === "completed" &&
        event.hasMore &&
        report.passes.length < plan.maxPassesPerLane &&
        remaining() > 0 &&
        !stop.aborted;
      if (!again) return;
      claim = await claimLane(context, lane.lane, claim.lastStartedAt);
    }
  }

  async function work(): Promise<void> {
    const beating = plan.heartbeat();
    const [read, pauses] = await Promise.all([readLaneStates(context), readPausedLanes(context)]);
    if ("error" in read) {
      for (const report of reports) {
        if (report.outcome === "disabled") continue;
        report.outcome = "error";
        report.error = read.error;
      }
      return;
    }
    const now = scheduler.now();
    const due: Promise<void>[] = [];
    for (const lane of plan.lanes) {
      if (!lane.enabled) continue;
      if ("paused" in pauses && pauses.paused.has(lane.lane)) {
        reportOf(lane).outcome = "paused";
        continue;
      }
      const last = read.states.get(lane.lane)?.lastStartedAt ?? null;
      const dueAt = last ? Date.parse(last) + lane.intervalMs : now;
      if (dueAt > now) {
        const report = reportOf(lane);
        report.outcome = "not_due";
        report.nextDueAt = iso(dueAt);
        continue;
      }
      due.push(tickLane(lane, last));
    }
    await Promise.all(due);
    await beating;
    if (remaining() > 0) await plan.afterLanes();
  }

  if (!stop.aborted) await raceWork(work(), budgetMs, scheduler, stop);
  const finishedMs = scheduler.now();
  for (const report of reports) {
    if (report.outcome === "out_of_budget") {
      report.error ??= `The tick's ${budgetMs} ms budget ran out before this lane ran.`;
    }
  }
  const ok = reports.every(
    (report) =>
      report.outcome !== "error" &&
      report.outcome !== "out_of_budget" &&
      report.passes.every((pass) => pass.status !== "failed" && pass.status !== "abandoned"),
  );
  return {
    instanceId: context.instanceId,
    startedAt: iso(startedMs),
    finishedAt: iso(finishedMs),
    durationMs: finishedMs - startedMs,
    budgetMs,
    ok,
    // A pass cut off by the budget may still report later; the caller gets a snapshot.
    lanes: reports.map((report) => ({ ...report, passes: [...report.passes] })),
  };
}
