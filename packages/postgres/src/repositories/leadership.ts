import type { MikaLeadershipLease, MikaLeadershipPort } from "@mika-maintenance/core";
import { type Selectable, sql } from "kysely";
import { portInput } from "../input.ts";
import type { LeadershipLeasesTable } from "../schema/tables.ts";
import type { PostgresRepositoryContext } from "./context.ts";
import { addMs, toIso, toNumber } from "./convert.ts";

function toLease(row: Selectable<LeadershipLeasesTable>): MikaLeadershipLease {
  return {
    name: row.name,
    holder: row.holder,
    term: toNumber(row.term),
    acquiredAt: toIso(row.acquired_at),
    renewedAt: toIso(row.renewed_at),
    expiresAt: toIso(row.expires_at),
  };
}

function ttlParam(ttlMs: unknown): number {
  return portInput.requireDurationMs(ttlMs, "ttlMs");
}

/** `repositories.leadership`: one lease row per name in `<prefix>leadership_leases`. */
export function createPostgresLeadership({ db }: PostgresRepositoryContext): MikaLeadershipPort {
  const table = sql.table("leadership_leases");

  return {
    async tryAcquireLeadership(input) {
      const now = portInput.requireTime(input.now, "now");
      const expiresAt = addMs(now, ttlParam(input.ttlMs));
      // One statement: the row lock taken by ON CONFLICT serializes rival candidates, and the
      // WHERE re-checks the lease after the wait, so only one of them wins a free lease. An
      // expired lease starts a new term even for its last holder, whose lanes have stopped.
      const { rows } = await sql<Selectable<LeadershipLeasesTable>>`
        insert into ${table} as l (name, holder, term, acquired_at, renewed_at, expires_at)
        values (${input.name}, ${input.holder}, 1, ${now}, ${now}, ${expiresAt})
        on conflict (name) do update set
          holder = excluded.holder,
          term = case
            when l.holder = excluded.holder and l.expires_at > excluded.renewed_at then l.term
            else l.term + 1
          end,
          acquired_at = case
            when l.holder = excluded.holder and l.expires_at > excluded.renewed_at then l.acquired_at
            else excluded.acquired_at
          end,
          renewed_at = excluded.renewed_at,
          expires_at = excluded.expires_at
        where l.holder = excluded.holder or l.expires_at <= excluded.renewed_at
        returning *
      `.execute(db);
      const row = rows[0];
      return row ? toLease(row) : null;
    },

    async renewLeadership(input) {
      const now = portInput.requireTime(input.now, "now");
      const row = await db
        .updateTable("leadership_leases")
        .set({ renewed_at: now, expires_at: addMs(now, ttlParam(input.ttlMs)) })
        .where("name", "=", input.name)
        .where("holder", "=", input.holder)
        .where("term", "=", input.term)
        .where("expires_at", ">", now)
        .returningAll()
        .executeTakeFirst();
      return row ? toLease(row) : null;
    },

    async resignLeadership(input) {
      const now = portInput.requireTime(input.now, "now");
      // Never pushes an already expired lease's end later.
      const result = await db
        .updateTable("leadership_leases")
        .set({ expires_at: sql<string>`least(expires_at, ${now}::timestamptz)` })
        .where("name", "=", input.name)
        .where("holder", "=", input.holder)
        .where("term", "=", input.term)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async getLeadership(input) {
      const row = await db
        .selectFrom("leadership_leases")
        .selectAll()
        .where("name", "=", input.name)
        .executeTakeFirst();
      return row ? toLease(row) : null;
    },
  };
}
