import { createClient } from "@libsql/client";
import { closedPort } from "@mika-maintenance/adapter-tests";
import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { afterEach, describe, expect, it } from "vitest";
import { createLibsqlRepositories } from "../src/index.ts";

// Issue 13 item 4, as found: with the store unreachable every task failed with
// "Failed query: <SQL> params: …" and the driver's reason (connection refused) was nowhere.
const NOW = "2026-06-21T10:00:00.000Z";
const TOKEN = "s3cret-libsql-token";

const clients: ReturnType<typeof createClient>[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

describe("libSQL: a task's error names the driver's cause on one line", () => {
  it("an unreachable server: connection refused, no SQL, no parameters, no token", async () => {
    const port = await closedPort();
    const repositories = createLibsqlRepositories({
      url: `http://127.0.0.1:${port}`,
      authToken: TOKEN,
    });
    const runner = createMikaMaintenanceRunner({ repositories });

    const result = await runner.runOnce({ now: NOW });

    const failed = Object.entries(result).flatMap(([task, outcome]) =>
      typeof outcome === "object" && outcome !== null && outcome.status === "failed"
        ? [[task, outcome.error] as const]
        : [],
    );
    expect(failed.map(([task]) => task)).toContain("stockReservations");
    for (const [task, error] of failed) {
      expect(error, task).toBe(`fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`);
    }
    await repositories.close();
  });

  it("a missing table: SQLite's own words name the table", async () => {
    const client = createClient({ url: ":memory:" });
    clients.push(client);
    const repositories = createLibsqlRepositories({ client });
    await repositories.migrate();
    await client.execute("drop table mika_stock_reservations");
    const runner = createMikaMaintenanceRunner({ repositories });

    const result = await runner.runOnce({ now: NOW });

    const outcome = result.stockReservations as { status: string; error: string };
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toContain("no such table: mika_stock_reservations");
    expect(outcome.error).not.toMatch(/Failed query|params:|\n/);
  });
});
