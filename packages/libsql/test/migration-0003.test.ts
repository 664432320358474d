import { createClient } from "@libsql/client";
import { expectErasureSubjectsUpgrade } from "@mika-maintenance/adapter-tests";
import { afterEach, expect, it } from "vitest";
import { createLibsqlRepositories, MIKA_LIBSQL_MIGRATIONS } from "../src/index.ts";

const T0 = "2026-06-21T10:00:00.000Z";
const T0_MS = Date.parse(T0);

const clients: ReturnType<typeof createClient>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

it("0003_erasure_subjects applies to a database holding rows from 0001, keeping every row", async () => {
  const client = createClient({ url: ":memory:" });
  clients.push(client);
  // A database as 0001 left it, with rows in the three tables the migration alters.
  for (const statement of MIKA_LIBSQL_MIGRATIONS[0]!.up("mika_")) await client.execute(statement);
  await client.execute({
    sql: `insert into mika_workflows (id, name, status, input, attempt_count, max_attempts, created_at, updated_at)
      values ('wf-old', 'order.fulfil', 'queued', '{"email":"old@mail.example"}', 0, 3, ?, ?)`,
    args: [T0_MS, T0_MS],
  });
  await client.execute({
    sql: `insert into mika_webhook_events (id, provider, event_type, external_id, received_at, raw_payload)
      values ('wh-old', 'stripe', 'invoice.paid', 'evt-old', ?, '{}')`,
    args: [T0_MS],
  });
  await client.execute({
    sql: `insert into mika_acp_sessions (id, status, payload, version, expires_at, created_at, updated_at)
      values ('acp-old', 'in_progress', '{}', 1, ?, ?, ?)`,
    args: [T0_MS, T0_MS, T0_MS],
  });

  const adapter = createLibsqlRepositories({ client });
  const status = await adapter.migrate();
  expect(status.applied.map((migration) => migration.name)).toContain("0003_erasure_subjects");
  await expectErasureSubjectsUpgrade(adapter, T0);
});
