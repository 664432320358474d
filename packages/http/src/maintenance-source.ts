import {
  describeMaintenanceStatus,
  errorMessage,
  laneRunHourStartOf,
  MIKA_LANE_RUN_HOUR_MS,
  type MikaLaneRunHour,
  type MikaLaneRunRecord,
  type MikaMaintenanceRuntimeInput,
  type MikaMaintenanceStatus,
  type MikaRepositories,
  type MikaRuntimeStatePort,
} from "@mika-maintenance/core";

/** One read of everything the endpoints show: status, the kept runs and the hourly rollup. */
export interface MikaMaintenanceSnapshot {
  status: MikaMaintenanceStatus;
  /** Runs of the last `historyMs`, newest first, at most `historyLimit`; or why not. */
  history: MikaLaneRunRecord[] | { error: string };
  /**
   * Every lane's hours from `hoursSince` (the hour `historyMs` back, so the current hour makes
   * the last of them), oldest first, at most `historyLimit`; or why not.
   */
  hours: MikaLaneRunHour[] | { error: string };
  hoursSince: string;
  /** When the snapshot was read (ms since the epoch). */
  readAtMs: number;
}

/** Where the handler reads from: the storage adapter's ports through the runtime-state port. */
export interface MikaMaintenanceSourceOptions {
  repositories: Partial<MikaRepositories>;
  /** Lane overrides as the runtime was configured (intervals, disabled lanes). */
  lanes?: MikaMaintenanceRuntimeInput["lanes"];
  leaderName?: string;
  /** How far back the history goes. Default 24 h. */
  historyMs?: number;
  /** The most runs one snapshot reads. Default 5 000. */
  historyLimit?: number;
  /** A snapshot younger than this is reused (scrapes and page polls share reads). Default 1 000 ms. */
  maxAgeMs?: number;
  now?: () => number;
}

/** Reads snapshots, sharing one read among callers that arrive within `maxAgeMs`. */
export interface MikaMaintenanceSource {
  snapshot(options?: { fresh?: boolean }): Promise<MikaMaintenanceSnapshot>;
  /** Forgets the shared snapshot, so the next read shows a change just made. */
  invalidate(): void;
  readonly historyMs: number;
}

/** Creates the source the endpoints read through. */
export function createMaintenanceSource(
  options: MikaMaintenanceSourceOptions,
): MikaMaintenanceSource {
  const now = options.now ?? Date.now;
  const historyMs = options.historyMs ?? 24 * 3_600_000;
  const historyLimit = options.historyLimit ?? 5_000;
  const maxAgeMs = options.maxAgeMs ?? 1_000;
  let last: { at: number; value: Promise<MikaMaintenanceSnapshot> } | null = null;

  async function read(): Promise<MikaMaintenanceSnapshot> {
    const readAtMs = now();
    const hoursSince = new Date(
      Date.parse(laneRunHourStartOf(new Date(readAtMs).toISOString())) +
        MIKA_LANE_RUN_HOUR_MS -
        Math.ceil(historyMs / MIKA_LANE_RUN_HOUR_MS) * MIKA_LANE_RUN_HOUR_MS,
    ).toISOString();
    const [status, history, hours] = await Promise.all([
      describeMaintenanceStatus({
        repositories: options.repositories,
        now: new Date(readAtMs),
        ...(options.leaderName ? { leaderName: options.leaderName } : {}),
        ...(options.lanes ? { lanes: options.lanes } : {}),
      }),
      fromRuntimeState((state) =>
        state.listLaneRunHistory({
          since: new Date(readAtMs - historyMs).toISOString(),
          limit: historyLimit,
        }),
      ),
      fromRuntimeState((state) =>
        state.listLaneRunHours({ since: hoursSince, limit: historyLimit }),
      ),
    ]);
    return { status, history, hours, hoursSince, readAtMs };
  }

  async function fromRuntimeState<T>(
    read: (state: MikaRuntimeStatePort) => Promise<T>,
  ): Promise<T | { error: string }> {
    try {
      const state = options.repositories.runtimeState;
      if (!state) throw new Error("repositories.runtimeState is not wired, so no history.");
      return await read(state);
    } catch (error) {
      return { error: errorMessage(error) };
    }
  }

  return {
    historyMs,
    invalidate() {
      last = null;
    },
    snapshot({ fresh = false } = {}) {
      if (!fresh && last && now() - last.at < maxAgeMs) return last.value;
      const value = read();
      last = { at: now(), value };
      return value;
    },
  };
}
