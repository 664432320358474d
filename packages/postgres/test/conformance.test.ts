import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { afterAll, beforeAll } from "vitest";
import { writeMalformedValue } from "./support/malformed-values.ts";
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
      writeMalformedValue: (input) => writeMalformedValue(database.admin, database.schema, input),
      async connect() {
        const other = database.createAdapter();
        return { repositories: other, close: () => other.close() };
      },
      close: () => adapter.close(),
    };
  },
  capabilities: {
    malformedRowsInvalidJson: {
      supported: false,
      reason:
        "Postgres stores JSON as jsonb, which refuses text that is not JSON on write, so no row can hold it; malformedRowsJsonNotObject covers the wrong JSON jsonb does accept.",
    },
  },
});
