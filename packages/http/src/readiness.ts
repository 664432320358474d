import type { MikaMaintenanceSnapshot } from "./maintenance-source.ts";

/** The answer of `/readyz`: ready or not, and each check with why. */
export interface MikaReadiness {
  ready: boolean;
  checks: {
    store: { ok: boolean; detail: string };
    leader: { ok: boolean; detail: string };
    lanes: { ok: boolean; detail: string };
  };
}

/**
 * Ready when the store answers, this process leads or a live leader exists (a follower of a
 * live leader is ready: it takes over when that leader goes), and no enabled lane is overdue
 * (no pass started for 2 × its interval + 30 s; a paused lane is never overdue).
 */
export function evaluateReadiness(
  snapshot: MikaMaintenanceSnapshot,
  options: { isLeader?: () => boolean; requireLeader: boolean },
): MikaReadiness {
  const { status } = snapshot;
  const storeErrors = [
    status.lanesError,
    status.leader && "error" in status.leader ? status.leader.error : null,
    "error" in status.instances ? status.instances.error : null,
  ].filter((error): error is string => error !== null);
  const store = storeErrors.length
    ? { ok: false, detail: `the store did not answer: ${storeErrors[0]}` }
    : { ok: true, detail: "the store answered" };

  let leader: MikaReadiness["checks"]["leader"];
  const lease = status.leader && !("error" in status.leader) ? status.leader : null;
  if (options.isLeader?.()) leader = { ok: true, detail: "this process leads" };
  else if (lease?.live) leader = { ok: true, detail: `following live leader ${lease.holder}` };
  else if (!options.requireLeader) leader = { ok: true, detail: "no runtime in this process" };
  else
    leader = { ok: false, detail: lease ? `leader ${lease.holder}'s lease expired` : "no leader" };

  const overdue = status.lanes.filter((lane) => lane.health === "overdue");
  const lanes = overdue.length
    ? { ok: false, detail: `overdue: ${overdue.map((lane) => lane.lane).join(", ")}` }
    : { ok: store.ok, detail: store.ok ? "no lane overdue" : "lanes could not be read" };

  return { ready: store.ok && leader.ok && lanes.ok, checks: { store, leader, lanes } };
}
