import { emptyOutboxRunResult } from "../email-outbox/create-email-outbox-runner.ts";
import type { MikaDueWork, MikaDueWorkKind, MikaStorePort } from "../ports/store.ts";
import { rawPayloadCutoff } from "../tasks/raw-provider-payloads.ts";
import type { MikaMaintenanceTaskKey, MikaMaintenanceTaskResults } from "./results.ts";
import type { MikaTaskContext } from "./task.ts";

/** Which probe answer stands for a task, and the result it reports when that answer is "none". */
interface TaskDueWork<R> {
  kind: MikaDueWorkKind;
  idle: () => R;
}

const reclaimed = () => ({ scanned: 0, reclaimed: 0, hasMore: false });

/**
 * Every built-in task's probe entry. A task added to the registry fails to compile until it
 * gets one here (`null` when no probe kind answers for it: it always runs). Tasks without an
 * entry (defined by a host) always run.
 */
export const MIKA_TASK_DUE_WORK: {
  [K in MikaMaintenanceTaskKey]: TaskDueWork<MikaMaintenanceTaskResults[K]> | null;
} = {
  emailOutbox: { kind: "dueEmails", idle: emptyOutboxRunResult },
  stuckEmails: { kind: "exhaustedEmails", idle: reclaimed },
  rawProviderPayloads: {
    kind: "rawPayloads",
    idle: () => ({ scanned: 0, purged: 0, hasMore: false }),
  },
  acpSessions: {
    kind: "acpSessions",
    idle: () => ({ scanned: 0, expired: 0, purged: 0, hasMore: false }),
  },
  stockReservations: {
    kind: "expiredReservations",
    idle: () => ({
      reservationsScanned: 0,
      reservationsReleased: 0,
      stockItems: 0,
      hasMore: false,
    }),
  },
  ephemeralRecords: { kind: "expiredEphemeral", idle: () => ({ purged: 0, hasMore: false }) },
  accountDeleteRequests: {
    kind: "queuedErasures",
    idle: () => ({ scanned: 0, completed: 0, failed: 0, retrying: 0, hasMore: false, items: [] }),
  },
  stuckWorkflows: { kind: "exhaustedWorkflows", idle: reclaimed },
  // Due retries are few and the lane is user-visible: it always asks its own bounded query.
  webhookRetries: null,
};

/** A planned task the probe may answer for: its key and the port object it sweeps. */
export interface ProbeCandidate {
  key: string;
  sweeps: object | undefined;
}

/**
 * Asks the store, in one call, which of `candidates` have nothing due, and returns their idle
 * results by key. Only tasks whose swept port the store serves are answered; with no store,
 * no probe, or a probe that fails, every task runs (the probe only ever saves work).
 */
export async function findIdleTasks(
  store: MikaStorePort | undefined,
  candidates: readonly ProbeCandidate[],
  context: MikaTaskContext,
): Promise<Map<string, unknown>> {
  const idle = new Map<string, unknown>();
  if (typeof store?.probeDueWork !== "function") return idle;
  const entries = MIKA_TASK_DUE_WORK as Partial<Record<string, TaskDueWork<unknown> | null>>;
  const answerable = candidates.flatMap(({ key, sweeps }) => {
    const entry = Object.hasOwn(entries, key) ? entries[key] : undefined;
    return entry && sweeps && store.serves(sweeps) ? [{ key, entry }] : [];
  });
  if (answerable.length === 0) return idle;
  let due: MikaDueWork;
  try {
    due = await store.probeDueWork({
      now: context.now,
      rawPayloadCutoff: rawPayloadCutoff(context.now, context.limits),
    });
  } catch {
    return idle;
  }
  for (const { key, entry } of answerable) {
    if (due[entry.kind] === false) idle.set(key, entry.idle());
  }
  return idle;
}
