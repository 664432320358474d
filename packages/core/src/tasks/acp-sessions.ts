import type { MikaAcpCleanupResult, MikaAcpSessionStore } from "../ports/acp-sessions.ts";
import { defineMaintenanceTask, missingDependency } from "../runner/task.ts";

/** Expires ACP checkout sessions past their TTL and purges terminal ones past retention. */
export const acpSessionsTask = defineMaintenanceTask({
  key: "acpSessions",
  description: "Expires ACP checkout sessions past TTL and purges terminal ones past retention.",
  lane: { kind: "user-visible", intervalMs: 5_000, timeoutMs: 30_000 },
  limits: {
    acpSessionLimit: { default: 50, description: "ACP sessions expired and purged per run." },
  },
  plan(input) {
    const store = input.acpSessionStore ?? input.repositories?.acpSessions;
    const cleanup =
      input.cleanupExpiredAcpSessions ??
      bindCleanup(input.acpSessionStore) ??
      bindCleanup(input.repositories?.acpSessions);
    if (!cleanup) {
      return missingDependency(
        "acpSessions",
        "an ACP session store with cleanupExpired() or a cleanupExpiredAcpSessions function",
      );
    }
    return {
      sweeps: input.cleanupExpiredAcpSessions ? undefined : store,
      run: async ({ now, limits }): Promise<MikaAcpCleanupResult> => {
        const result = await cleanup({ now, limit: limits.acpSessionLimit });
        return {
          scanned: result.scanned ?? 0,
          expired: result.expired ?? 0,
          purged: result.purged ?? 0,
          hasMore: result.hasMore ?? false,
        };
      },
    };
  },
});

function bindCleanup(store: Partial<Pick<MikaAcpSessionStore, "cleanupExpired">> | undefined) {
  return typeof store?.cleanupExpired === "function" ? store.cleanupExpired.bind(store) : undefined;
}
