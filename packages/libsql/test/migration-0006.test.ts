import { createClient } from "@libsql/client";
import { afterEach, expect, it } from "vitest";
import { createLibsqlRepositories, MIKA_LIBSQL_MIGRATIONS } from "../src/index.ts";

const T0 = "2026-06-21T10:00:00.000Z";
const T0_MS = Date.parse(T0);

const clients: ReturnType<typeof createClient>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

it("0006_partial_token_subject_index replaces the full subject index on a database with rows, keeping every row", async () => {
  const client = createClient({ url: ":memory:" });
  clients.push(client);
  // A database as the first release left it, with its full (subject_hash, kind) index.
  for (const statement of MIKA_LIBSQL_MIGRATIONS[0]!.up("mika_")) await client.execute(statement);
  for (const [kind, key] of [
    ["token", "t1"],
    ["nonce", "n1"],
    ["lock", "l1"],
  ] as const) {
    await client.execute({
      sql: `insert into mika_ephemeral_records (kind, key, subject_hash, value, expires_at, created_at)
        values (?, ?, 'subject-1', 'v', ?, ?)`,
      args: [kind, key, T0_MS + 60_000, T0_MS],
    });
  }
  const indexNames = async () =>
    (await client.execute("pragma index_list(mika_ephemeral_records)")).rows.map((row) =>
      String(row.name),
    );
  expect(await indexNames()).toContain("mika_ephemeral_records_subject_idx");

  const adapter = createLibsqlRepositories({ client });
  const status = await adapter.migrate();
  expect(status.applied.map((migration) => migration.name)).toContain(
    "0006_partial_token_subject_index",
  );
  const names = await indexNames();
  expect(names).toContain("mika_ephemeral_records_token_subject_idx");
  expect(names).not.toContain("mika_ephemeral_records_subject_idx");
  const partial = await client.execute(
    "select sql from sqlite_master where name = 'mika_ephemeral_records_token_subject_idx'",
  );
  expect(String(partial.rows[0]?.sql)).toMatch(/WHERE "kind" = 'token'/);

  for (const [kind, key] of [
    ["token", "t1"],
    ["nonce", "n1"],
    ["lock", "l1"],
  ] as const) {
    expect(await adapter.ephemeral.getEphemeralRecord({ kind, key, now: T0 })).toMatchObject({
      subjectHash: "subject-1",
    });
  }
  // Erasure still finds the token by subject, and only the token.
  expect(
    await adapter.ephemeral.deleteTokensBySubjectHashes({ subjectHashes: ["subject-1"] }),
  ).toBe(1);
  expect(
    await adapter.ephemeral.getEphemeralRecord({ kind: "nonce", key: "n1", now: T0 }),
  ).not.toBeNull();
});
