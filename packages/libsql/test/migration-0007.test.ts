import { createClient } from "@libsql/client";
import { expectWorkflowRetriesUpgrade } from "@mika-maintenance/adapter-tests";
import { afterEach, expect, it } from "vitest";
import { createLibsqlRepositories, MIKA_LIBSQL_MIGRATIONS } from "../src/index.ts";

const T0 = "2026-06-21T10:00:00.000Z";
const T0_MS = Date.parse(T0);
const LATER = "2026-06-22T10:00:00.000Z";
const KIND = "payment_webhook_fulfillment";

const clients: ReturnType<typeof createClient>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

it("0007_workflow_retries upgrades a database the previous release created, keeping every row", async () => {
  const client = createClient({ url: ":memory:" });
  clients.push(client);
  // The previous release: every shipped migration before 0007, applied and recorded as it did.
  await client.execute(
    `CREATE TABLE "mika_migrations" ("name" text PRIMARY KEY NOT NULL, "applied_at" integer NOT NULL)`,
  );
  for (const migration of MIKA_LIBSQL_MIGRATIONS.filter((m) => m.name < "0007")) {
    for (const statement of migration.up("mika_")) await client.execute(statement);
    await client.execute({
      sql: `insert into mika_migrations (name, applied_at) values (?, ?)`,
      args: [migration.name, T0_MS],
    });
  }
  await client.execute({
    sql: `insert into mika_workflows (id, name, status, input, attempt_count, max_attempts, lease_key, leased_at, lease_expires_at, created_at, updated_at)
      values ('wf-queued', '${KIND}', 'queued', '{"a":1}', 0, 3, null, null, null, ?, ?),
             ('wf-running', '${KIND}', 'running', '{}', 1, 3, 'k1', ?, ?, ?, ?)`,
    args: [T0_MS, T0_MS, T0_MS, T0_MS, T0_MS, T0_MS],
  });

  const adapter = createLibsqlRepositories({ client });
  // 0007 and every migration shipped after it.
  expect((await adapter.migrationStatus()).pending).toEqual(
    MIKA_LIBSQL_MIGRATIONS.filter((m) => m.name >= "0007").map((m) => m.name),
  );
  expect((await adapter.migrate()).pending).toEqual([]);
  await expectWorkflowRetriesUpgrade(adapter, { name: KIND, now: T0, later: LATER });
  adapter.close();
});
