import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { afterAll, expect, it } from "vitest";
import { createPostgresRepositories } from "../src/index.ts";
import { openTestDatabase } from "./support/test-database.ts";

const database = await openTestDatabase("readme");
afterAll(() => database.dispose());

it("the README's five-line example runs", { timeout: 120_000 }, async () => {
  const repositories =
    database.kind === "server"
      ? createPostgresRepositories({ connectionString: database.url, schema: database.schema })
      : createPostgresRepositories({ db: database.admin, schema: database.schema });
  await repositories.migrate();
  const result = await createMikaMaintenanceRunner({ repositories }).runOnce();
  expect(result.stockReservations).toMatchObject({
    status: "completed",
    result: { reservationsScanned: 0, reservationsReleased: 0, stockItems: 0, hasMore: false },
  });
  expect(result.emailOutbox.status).toBe("skipped");
  await repositories.close();
});
