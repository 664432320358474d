import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { afterAll, beforeAll } from "vitest";
import { openTestDatabase } from "./support/test-database.ts";

const database = await openTestDatabase("conformance");

beforeAll(async () => {
  const adapter = database.createAdapter();
  await adapter.migrate();
  await adapter.close();
});

afterAll(() => database.dispose());

runAdapterConformance({
  name: `postgres (${database.kind === "server" ? database.url : "PGlite"})`,
  reset: () => database.truncateAll(),
  async createRepositories() {
    const adapter = database.createAdapter();
    return {
      repositories: adapter,
      dumpTables: () => database.dumpTables(),
      async connect() {
        const other = database.createAdapter();
        return { repositories: other, close: () => other.close() };
      },
      close: () => adapter.close(),
    };
  },
});
