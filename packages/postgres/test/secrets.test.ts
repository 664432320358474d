import { closedPort, everythingAbout, rejectionOf } from "@mika-maintenance/adapter-tests";
import {
  createConsoleLogger,
  createMaintenanceRuntime,
  createMikaMaintenanceRunner,
} from "@mika-maintenance/core";
import { describe, expect, it } from "vitest";
import { createPostgresRepositories } from "../src/index.ts";

const PASSWORD = "pw-Zq81x";
const TOKEN = "tok-Yh27k";

describe("secrets in Postgres errors and logs", () => {
  it("never shows the URL's password in a thrown error or its causes", async () => {
    const port = await closedPort();
    for (const connectionString of [
      `postgres://mika:${PASSWORD}@127.0.0.1:${port}/shop?sslpassword=${TOKEN}`,
      `postgresql://mika@127.0.0.1:${port}/shop?password=${PASSWORD}&application_name=mika`,
      `postgres://mika:${PASSWORD}@127.0.0.1:not-a-port/shop?password=${TOKEN}`,
    ]) {
      const adapter = createPostgresRepositories({ connectionString });
      const error = await rejectionOf(() => adapter.migrate());
      const text = everythingAbout(error);
      expect(text, connectionString).not.toContain(PASSWORD);
      expect(text, connectionString).not.toContain(TOKEN);
      await adapter.close();
    }
  });

  it("keeps it out of options errors, task failures and the runtime's JSON log", async () => {
    const options = { connectionString: `mysql://mika:${PASSWORD}@h/db?password=${TOKEN}` };
    const invalid = (() => {
      try {
        createPostgresRepositories(options);
      } catch (error) {
        return error;
      }
    })();
    expect(everythingAbout(invalid)).toMatch(/connectionString/);
    expect(everythingAbout(invalid)).not.toContain(PASSWORD);

    const port = await closedPort();
    const adapter = createPostgresRepositories({
      connectionString: `postgres://mika:${PASSWORD}@127.0.0.1:${port}/shop?password=${TOKEN}`,
    });
    const result = await createMikaMaintenanceRunner({ repositories: adapter }).runOnce({
      now: "2026-06-21T10:00:00.000Z",
    });
    const failed = Object.values(result).filter(
      (task) => typeof task === "object" && task.status === "failed",
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(JSON.stringify(result)).not.toContain(PASSWORD);
    expect(JSON.stringify(result)).not.toContain(TOKEN);

    const lines: string[] = [];
    const report = await createMaintenanceRuntime({
      repositories: adapter,
      logger: createConsoleLogger({ write: (line) => lines.push(line) }),
    }).tick({ budgetMs: 2_000 });
    expect(report.ok).toBe(false);
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
    expect(JSON.stringify(report)).not.toContain(TOKEN);
    // run() logs its failed leadership campaign as a runtime.error line; stop at the first.
    const stop = new AbortController();
    await createMaintenanceRuntime({
      repositories: adapter,
      logger: createConsoleLogger({ write: (line) => lines.push(line) }),
      signal: stop.signal,
      onEvent: (event) => {
        if (event.type === "runtime.error") stop.abort();
      },
    }).run();
    const log = lines.join("\n");
    expect(log).toMatch(/"level":"error","msg":"runtime.error"/);
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(TOKEN);
    await adapter.close();
  });
});
