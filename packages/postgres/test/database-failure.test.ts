import { createMikaMaintenanceRunner, type MikaMaintenanceRunResult } from "@mika-maintenance/core";
import { sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createPostgresRepositories } from "../src/index.ts";
import { openMigratedTestDatabase } from "./support/test-database.ts";

const T0 = "2026-06-21T10:00:00.000Z";
const database = await openMigratedTestDatabase("failure");

async function seedExpiredEphemeral(count: number) {
  await sql`
    insert into ${database.table("ephemeral_records")} (kind, key, expires_at, created_at)
    select 'nonce', 'nonce-' || i, ${T0}::timestamptz - interval '1 minute',
      ${T0}::timestamptz - interval '1 day'
    from generate_series(1, ${count}::int) as g(i)
  `.execute(database.admin);
}

function statuses(run: MikaMaintenanceRunResult) {
  const { now: _, ...tasks } = run;
  return Object.fromEntries(Object.entries(tasks).map(([key, result]) => [key, result.status]));
}

const everyTaskButOutbox = {
  emailOutbox: "skipped",
  stuckEmails: "completed",
  rawProviderPayloads: "completed",
  acpSessions: "completed",
  stockReservations: "completed",
  ephemeralRecords: "completed",
  accountDeleteRequests: "completed",
  stuckWorkflows: "completed",
  // No replay driver: the runner is built from the repositories alone.
  webhookRetries: "skipped",
};

describe("a database error fails that task, not the sweep", () => {
  it.skipIf(database.kind !== "server")(
    "a connection killed with pg_terminate_backend mid-sweep fails the task; the next run uses a fresh connection",
    { timeout: 120_000 },
    async () => {
      await seedExpiredEphemeral(10);
      const applicationName = `mika_victim_${database.schema}`;
      const url = new URL(database.url);
      url.searchParams.set("application_name", applicationName);
      const adapter = createPostgresRepositories({
        connectionString: url.toString(),
        schema: database.schema,
      });
      const runner = createMikaMaintenanceRunner({ repositories: adapter });
      const blocker = new pg.Client({ connectionString: database.url });
      await blocker.connect();
      try {
        // Hold the ephemeral table against writes so the sweep's purge waits on it, then kill
        // that backend. Reads still pass, so the due-work probe (a read) is not the one killed.
        await blocker.query("begin");
        await blocker.query(
          `lock table "${database.schema}"."mika_ephemeral_records" in exclusive mode`,
        );
        const sweep = runner.runOnce({ now: T0 });
        // Watched from outside the blocker's transaction: inside one, Postgres keeps serving the
        // backend list it read first, and the sweep's connection is newer than that.
        let victim: number | undefined;
        while (victim === undefined) {
          const { rows } = await sql<{ pid: number }>`
            select pid from pg_stat_activity
            where application_name = ${applicationName} and wait_event_type = 'Lock'
          `.execute(database.admin);
          victim = rows[0]?.pid;
        }
        await sql`select pg_terminate_backend(${victim}::int)`.execute(database.admin);
        await blocker.query("rollback");

        const first = await sweep;
        expect(statuses(first)).toEqual({ ...everyTaskButOutbox, ephemeralRecords: "failed" });
        expect(first.ephemeralRecords).toMatchObject({
          status: "failed",
          error: expect.stringMatching(/terminat/i),
        });

        const second = await runner.runOnce({ now: T0 });
        expect(statuses(second)).toEqual(everyTaskButOutbox);
        expect(second.ephemeralRecords).toMatchObject({
          status: "completed",
          result: { purged: 10, hasMore: false },
        });
        const { rows: backends } = await sql<{ pid: number }>`
          select pid from pg_stat_activity where application_name = ${applicationName}
        `.execute(database.admin);
        expect(backends.length).toBeGreaterThan(0);
        expect(backends.map((row) => row.pid)).not.toContain(victim);
      } finally {
        await blocker.end();
        await adapter.close();
      }
    },
  );

  it("a table gone mid-life fails only the task that needs it; the next run succeeds", async () => {
    await seedExpiredEphemeral(3);
    const adapter = database.createAdapter();
    const runner = createMikaMaintenanceRunner({ repositories: adapter });
    const ephemeral = database.table("ephemeral_records");
    try {
      await sql`alter table ${ephemeral} rename to mika_ephemeral_records_away`.execute(
        database.admin,
      );
      const first = await runner.runOnce({ now: T0 });
      await sql`alter table ${database.table("ephemeral_records_away")} rename to mika_ephemeral_records`.execute(
        database.admin,
      );
      expect(statuses(first)).toEqual({ ...everyTaskButOutbox, ephemeralRecords: "failed" });
      expect(first.ephemeralRecords).toMatchObject({
        error: expect.stringMatching(/does not exist/),
      });

      const second = await runner.runOnce({ now: T0 });
      expect(statuses(second)).toEqual(everyTaskButOutbox);
      expect(second.ephemeralRecords).toMatchObject({ result: { purged: 3 } });
    } finally {
      await adapter.close();
    }
  });
});
