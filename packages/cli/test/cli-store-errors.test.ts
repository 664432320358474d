import { createClient } from "@libsql/client";
import { closedPort } from "@mika-maintenance/adapter-tests";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliBackend, libsqlBackend } from "./support/backends.ts";
import { runCli } from "./support/cli-process.ts";

// Issue 13 item 4: the CLI's message names the driver's cause (connection refused, no such
// table) on one line, never the SQL, its parameters or the token.
const TOKEN = "s3cret-libsql-token";

let backend: CliBackend;

beforeAll(async () => {
  backend = libsqlBackend();
  expect((await runCli(["migrate", ...backend.flags], { cwd: backend.dir })).code).toBe(0);
});

afterAll(async () => {
  await backend.dispose();
});

describe("the CLI names the store's cause", () => {
  it("an unreachable libSQL server: connection refused, token masked, one line", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;

    const result = await runCli(["once", "--database-url", url, "--auth-token", TOKEN], {
      cwd: backend.dir,
    });

    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `mika-maintenance: cannot reach the database at ${url}: fetch failed: connect ` +
        `ECONNREFUSED 127.0.0.1:${port}\n`,
    );
    expect(result.stderr).not.toContain(TOKEN);
  });

  it("a table missing from a migrated store: the task's error quotes SQLite", async () => {
    const client = createClient({ url: backend.flags[1]! });
    await client.execute("drop table mika_stock_reservations");
    client.close();

    const result = await runCli(["once", "--json", ...backend.flags], { cwd: backend.dir });

    expect(result.code).toBe(1);
    const sweep = JSON.parse(result.stdout) as {
      tasks: Record<string, { status: string; error?: string }>;
    };
    expect(sweep.tasks.stockReservations).toMatchObject({ status: "failed" });
    const error = sweep.tasks.stockReservations?.error ?? "";
    expect(error).toContain("no such table: mika_stock_reservations");
    expect(error).not.toMatch(/Failed query|params:|\n/);
  });
});
