import {
  addMilliseconds,
  type MikaLeadershipLease,
  type MikaLeadershipPort,
} from "@mika-maintenance/core";
import { copy, copyOrNull } from "../database/rows.ts";
import { portInput } from "../input.ts";
import type { MemoryState } from "../schema/tables.ts";

/** `repositories.leadership`: one lease row per name, taken and renewed by compare-and-set. */
export function createMemoryLeadership(state: MemoryState): MikaLeadershipPort {
  const leases = state.tables.leadershipLeases;

  return {
    async tryAcquireLeadership(input) {
      const name = portInput.requireText(input.name, "name");
      const holder = portInput.requireText(input.holder, "holder");
      const now = portInput.requireTime(input.now, "now");
      const expiresAt = addMilliseconds(now, portInput.requireDurationMs(input.ttlMs, "ttlMs"));
      const lease = leases.get(name);
      if (!lease) {
        const taken: MikaLeadershipLease = {
          name,
          holder,
          term: 1,
          acquiredAt: now,
          renewedAt: now,
          expiresAt,
        };
        leases.set(name, taken);
        return copy(taken);
      }
      const live = lease.expiresAt > now;
      if (live && lease.holder === holder) {
        lease.renewedAt = now;
        lease.expiresAt = expiresAt;
        return copy(lease);
      }
      if (live) return null;
      // An expired lease starts a new term even for its last holder, whose lanes have stopped.
      lease.holder = holder;
      lease.term += 1;
      lease.acquiredAt = now;
      lease.renewedAt = now;
      lease.expiresAt = expiresAt;
      return copy(lease);
    },

    async renewLeadership(input) {
      const now = portInput.requireTime(input.now, "now");
      const expiresAt = addMilliseconds(now, portInput.requireDurationMs(input.ttlMs, "ttlMs"));
      const lease = leases.get(input.name);
      if (
        !lease ||
        lease.holder !== input.holder ||
        lease.term !== input.term ||
        lease.expiresAt <= now
      ) {
        return null;
      }
      lease.renewedAt = now;
      lease.expiresAt = expiresAt;
      return copy(lease);
    },

    async resignLeadership(input) {
      const now = portInput.requireTime(input.now, "now");
      const lease = leases.get(input.name);
      if (!lease || lease.holder !== input.holder || lease.term !== input.term) return false;
      // Never pushes an already expired lease's end later.
      if (lease.expiresAt > now) lease.expiresAt = now;
      return true;
    },

    async getLeadership(input) {
      return copyOrNull(leases.get(input.name));
    },
  };
}
