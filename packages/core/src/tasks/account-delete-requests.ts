import { ACCOUNT_DELETE_PORTS } from "../account-delete/account-delete-repositories.ts";
import { processAccountDeleteRequests } from "../account-delete/process-account-delete-requests.ts";
import { defineMaintenanceTask, missingDependency } from "../runner/task.ts";

/** Processes queued account-delete (erasure) requests, resumably. */
export const accountDeleteRequestsTask = defineMaintenanceTask({
  key: "accountDeleteRequests",
  description: "Processes queued account-delete (GDPR erasure) requests, resumably.",
  lane: { kind: "hygiene", intervalMs: 60_000, timeoutMs: 120_000 },
  limits: {
    accountDeleteLimit: { default: 25, description: "Account-delete requests processed per run." },
  },
  plan(input) {
    const repositories = input.repositories ?? {};
    const missing = ACCOUNT_DELETE_PORTS.filter((port) => !repositories[port]);
    const { ops, ephemeral, stock, account, ledger, session } = repositories;
    if (!ops || !ephemeral || !stock || !account || !ledger || !session) {
      return missingDependency(
        "accountDeleteRequests",
        `${missing.map((port) => `repositories.${port}`).join(", ")}`,
      );
    }
    // The host's own ACP store when it gave one (the acpSessions task uses it too).
    const acpSessions = input.acpSessionStore ?? repositories.acpSessions;
    const { store } = repositories;
    const ports = { ops, ephemeral, stock, account, ledger, session, acpSessions, store };
    return {
      sweeps: ops,
      run: ({ now, limits, signal }) =>
        processAccountDeleteRequests(ports, { now, limit: limits.accountDeleteLimit, signal }),
    };
  },
});
