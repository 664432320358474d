import {
  createConsoleLogger,
  createMaintenanceRuntime,
  createMikaMaintenanceRunner,
  type MikaRepositories,
} from "@mika-maintenance/core";
import { expect } from "vitest";
import { closedPort, everythingAbout, rejectionOf } from "./error-text.ts";

/**
 * For an adapter whose store cannot be reached and whose connection options carry `secrets`:
 * a maintenance pass, a `tick()` and a `run()` (stopped at its first logged `runtime.error`)
 * all fail, and no secret shows in the pass results, the tick report or the JSON log.
 */
export async function expectSecretsKeptOutOfRuns(
  repositories: MikaRepositories,
  secrets: readonly string[],
): Promise<void> {
  const expectNoSecret = (text: string) => {
    for (const secret of secrets) expect(text).not.toContain(secret);
  };
  const result = await createMikaMaintenanceRunner({ repositories }).runOnce({
    now: "2026-06-21T10:00:00.000Z",
  });
  const failed = Object.values(result).filter(
    (task) => typeof task === "object" && task.status === "failed",
  );
  expect(failed.length).toBeGreaterThan(0);
  expectNoSecret(JSON.stringify(result));

  const lines: string[] = [];
  const logger = createConsoleLogger({ write: (line) => lines.push(line) });
  const report = await createMaintenanceRuntime({ repositories, logger }).tick({
    budgetMs: 2_000,
  });
  expect(report.ok).toBe(false);
  expectNoSecret(JSON.stringify(report));
  // run() logs its failed leadership campaign as a runtime.error line; stop at the first.
  const stop = new AbortController();
  await createMaintenanceRuntime({
    repositories,
    logger,
    signal: stop.signal,
    onEvent: (event) => {
      if (event.type === "runtime.error") stop.abort();
    },
  }).run();
  const log = lines.join("\n");
  expect(log).toMatch(/"level":"error","msg":"runtime.error"/);
  expectNoSecret(log);
}

/**
 * For each connection `connectionsTo` names on a local port nothing listens on: the adapter
 * `open` makes of it fails to `migrate()`, and no secret shows anywhere in that error or its
 * causes. Returns the port and what a host could print about each error, for checks of what it
 * must still say.
 */
export async function expectSecretsKeptOutOfErrors<Connection>(
  connectionsTo: (closedPort: number) => readonly Connection[],
  open: (connection: Connection) => { migrate(): Promise<unknown>; close(): Promise<void> | void },
  secrets: readonly string[],
): Promise<{ port: number; texts: string[] }> {
  const port = await closedPort();
  const texts: string[] = [];
  for (const connection of connectionsTo(port)) {
    const adapter = open(connection);
    const text = everythingAbout(await rejectionOf(() => adapter.migrate()));
    for (const secret of secrets) expect(text, String(connection)).not.toContain(secret);
    texts.push(text);
    await adapter.close();
  }
  return { port, texts };
}
