import type { MikaLaneRunRecord } from "../ports/runtime-state.ts";
import type { ISODateTime } from "../time.ts";
import { linkedAbort, raceWork } from "./abort.ts";
import { claimLane, readLaneStates } from "./claim-lane.ts";
import type { MikaLaneKind, MikaResolvedLane } from "./lane-defaults.ts";
import { readPausedLanes } from "./lane-pauses.ts";
import { type MikaPassContext, runLanePass } from "./run-lane-pass.ts";
import type { MikaRuntimePassEvent } from "./runtime-events.ts";

/**
 * Why a lane did or did not run in a tick. `deferred`: the lane was due but what was left of
 * the budget could not hold a pass (judged by its recent durations); the next tick takes it.
 */
export type MikaTickLaneOutcome =
  | "ran"
  | "not_due"
  | "claimed_elsewhere"
  | "disabled"
  | "paused"
  | "error"
  | "deferred";

/** One lane's part of a tick. */
export interface MikaTickLaneReport {
  lane: MikaResolvedLane["lane"];
  kind: MikaLaneKind;
  outcome: MikaTickLaneOutcome;
  /** Every pass this tick ran for the lane (more than one when a pass reported `hasMore`). */
  passes: MikaRuntimePassEvent[];
  /** Work is left for the next tick: the last pass reported `hasMore`, or the lane was deferred. */
  backlog: boolean;
  /** What one pass is expected to take: the longest recent pass that finished its work. */
  expectedPassMs: number;
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
   * False only when a pass failed or was abandoned, or the store could not be read or
   * claimed. Work left over (`backlog`) and lanes `deferred` to the next tick are not failures.
   */
  ok: boolean;
  /** Lanes whose pass failed or was abandoned, or that could not be claimed. */
  failed: MikaResolvedLane["lane"][];
  /** Lanes with work left for the next tick (`hasMore`, or deferred). */
  backlog: MikaResolvedLane["lane"][];
  /** Lanes that were due but did not fit in the budget. */
  deferred: MikaResolvedLane["lane"][];
  /** One line for a person or a cron log: passes run, failures, backlog, deferred lanes. */
  summary: string;
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
  /** Runs after the lanes when budget remains. */
  afterLanes(): Promise<void>;
}

/** Recent passes per lane used to predict the next pass's duration. */
const RECENT_RUNS = 5;

/**
 * Runs every due lane once (again while it reports `hasMore` and budget remains), all lanes
 * concurrently, each claimed by compare-and-set so concurrent ticks never run the same lane
 * twice. The budget has three marks: passes stop claiming new work at the soft mark (they
 * return `hasMore`, which is backlog, not failure), a pass still running at the hard mark is
 * abandoned, and the rest is kept to record the runs. A pass is only started when the time
 * to the soft mark can hold it, judged by the lane's recent durations; otherwise the lane is
 * `deferred`. The report comes back within `budgetMs` even when a store call hangs.
 */
export async function runTick(plan: MikaTickPlan): Promise<MikaTickReport> {
  const { context, budgetMs, stop } = plan;
  const { scheduler } = context;
  const iso = (ms: number) => new Date(ms).toISOString();
  const startedMs = scheduler.now();
  const deadline = startedMs + budgetMs;
  // Kept back at the end to record the runs, and before it, to let a cut pass reach its boundary.
  const reserveMs = Math.min(Math.floor(budgetMs / 10), 2_000);
  const hardAt = deadline - reserveMs;
  const softAt = hardAt - reserveMs;
  const untilSoft = () => softAt - scheduler.now();

  const { controller: soft, dispose } = linkedAbort(stop);
  const softTimer = new AbortController();
  void scheduler.sleep(softAt - startedMs, softTimer.signal).then(() => {
    if (!softTimer.signal.aborted) soft.abort(new Error("The tick's budget is used up."));
  });

  const reports = plan.lanes.map(
    (lane): MikaTickLaneReport => ({
      lane: lane.lane,
      kind: lane.kind,
      outcome: lane.enabled ? "deferred" : "disabled",
      passes: [],
      backlog: false,
      expectedPassMs: 0,
      nextDueAt: null,
    }),
  );
  const reportOf = (lane: MikaResolvedLane) => reports.find((report) => report.lane === lane.lane)!;
  const expected = (report: MikaTickLaneReport) =>
    Math.max(
      report.expectedPassMs,
      ...report.passes.filter((pass) => !pass.hasMore).map((pass) => pass.durationMs),
    );

  async function tickLane(lane: MikaResolvedLane, last: ISODateTime | null): Promise<void> {
    const report = reportOf(lane);
    if (untilSoft() <= expected(report)) return;
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
      const timeoutMs = Math.min(lane.timeoutMs, hardAt - scheduler.now());
      if (timeoutMs <= 0) return;
      const { event } = await runLanePass(context, lane, {
        trigger: "tick",
        timeoutMs,
        signal: soft.signal,
        hardStop: stop,
      });
      report.passes.push(event);
      report.outcome = "ran";
      report.backlog = event.status === "completed" && event.hasMore;
      const again =
        report.backlog &&
        report.passes.length < plan.maxPassesPerLane &&
        untilSoft() > expected(report) &&
        !soft.signal.aborted;
      if (!again) return;
      claim = await claimLane(context, lane.lane, claim.lastStartedAt);
    }
  }

  let stateRead = false;
  async function work(): Promise<void> {
    const [read, recent, pauses] = await Promise.all([
      readLaneStates(context),
      readRecentRuns(context),
      readPausedLanes(context),
    ]);
    stateRead = true;
    if ("error" in read) {
      for (const report of reports) {
        if (report.outcome === "disabled") continue;
        report.outcome = "error";
        report.error = read.error;
      }
      return;
    }
    const newest = new Map<string, MikaLaneRunRecord>();
    for (const run of recent) {
      const report = reports.find((candidate) => candidate.lane === run.lane);
      // A pass that left work was cut at a batch boundary (by its limit or a budget), so it
      // says little about a whole pass; passes that finished their work set the expectation.
      if (report && run.status === "completed" && run.counters.hasMore !== true) {
        report.expectedPassMs = Math.max(report.expectedPassMs, run.durationMs);
      }
      const seen = newest.get(run.lane);
      if (!seen || seen.startedAt < run.startedAt) newest.set(run.lane, run);
    }
    // A lane whose last pass left work behind is due again at once, whatever its interval.
    const leftBacklog = new Set(
      [...newest.values()]
        .filter((run) => run.status === "completed" && run.counters.hasMore === true)
        .map((run) => run.lane),
    );
    const now = scheduler.now();
    const due: Promise<void>[] = [];
    for (const lane of plan.lanes) {
      if (!lane.enabled) continue;
      if ("paused" in pauses && pauses.paused.has(lane.lane)) {
        reportOf(lane).outcome = "paused";
        continue;
      }
      const last = read.states.get(lane.lane)?.lastStartedAt ?? null;
      const dueAt = last && !leftBacklog.has(lane.lane) ? Date.parse(last) + lane.intervalMs : now;
      if (dueAt > now) {
        const report = reportOf(lane);
        report.outcome = "not_due";
        report.nextDueAt = iso(dueAt);
        continue;
      }
      due.push(tickLane(lane, last));
    }
    await Promise.all(due);
    if (untilSoft() > 0) await plan.afterLanes();
  }

  try {
    if (!stop.aborted) await raceWork(work(), budgetMs, scheduler, stop);
  } finally {
    softTimer.abort();
    dispose();
  }
  const finishedMs = scheduler.now();
  for (const report of reports) {
    if (!stateRead && report.outcome === "deferred" && !stop.aborted) {
      report.outcome = "error";
      report.error = `The store did not answer within the tick's ${budgetMs} ms budget.`;
    }
    if (report.outcome === "deferred") {
      report.backlog = true;
      report.error ??=
        report.expectedPassMs > 0
          ? `Deferred to the next tick: what was left of the ${budgetMs} ms budget could not hold a pass (recent passes took up to ${report.expectedPassMs} ms).`
          : `Deferred to the next tick: the ${budgetMs} ms budget was used up before this lane ran.`;
    }
  }
  const failedLane = (report: MikaTickLaneReport) =>
    report.outcome === "error" ||
    report.passes.some((pass) => pass.status === "failed" || pass.status === "abandoned");
  const failed = reports.filter(failedLane).map((report) => report.lane);
  const backlog = reports.filter((report) => report.backlog).map((report) => report.lane);
  const deferred = reports
    .filter((report) => report.outcome === "deferred")
    .map((report) => report.lane);
  const passes = reports.reduce((sum, report) => sum + report.passes.length, 0);
  return {
    instanceId: context.instanceId,
    startedAt: iso(startedMs),
    finishedAt: iso(finishedMs),
    durationMs: finishedMs - startedMs,
    budgetMs,
    ok: failed.length === 0,
    failed,
    backlog,
    deferred,
    summary: summarize({
      passes,
      failed,
      backlog,
      deferred,
      durationMs: finishedMs - startedMs,
      budgetMs,
    }),
    // A pass cut off by the budget may still report later; the caller gets a snapshot.
    lanes: reports.map((report) => ({ ...report, passes: [...report.passes] })),
  };
}

async function readRecentRuns(context: MikaPassContext): Promise<MikaLaneRunRecord[]> {
  const outcome = await raceWork(
    context.runtimeState.listLaneRuns({ perLane: RECENT_RUNS }),
    context.storeTimeoutMs,
    context.scheduler,
  );
  // Without history every lane is expected to fit; the soft mark still bounds it.
  return outcome.kind === "done" ? outcome.value : [];
}

function summarize(input: {
  passes: number;
  failed: string[];
  backlog: string[];
  deferred: string[];
  durationMs: number;
  budgetMs: number;
}): string {
  const parts = [
    `${input.passes} pass${input.passes === 1 ? "" : "es"} in ${input.durationMs} of ${input.budgetMs} ms`,
  ];
  if (input.failed.length) parts.push(`FAILED: ${input.failed.join(", ")}`);
  if (input.backlog.length)
    parts.push(`backlog left for the next tick: ${input.backlog.join(", ")}`);
  if (input.deferred.length) parts.push(`deferred: ${input.deferred.join(", ")}`);
  if (!input.failed.length && !input.backlog.length) parts.push("all caught up");
  return `tick ${input.failed.length ? "failed" : "ok"}: ${parts.join("; ")}`;
}
