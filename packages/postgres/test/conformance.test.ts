import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { writeMalformedValue } from "./support/malformed-values.ts";
import { openMigratedTestDatabase } from "./support/test-database.ts";

const database = await openMigratedTestDatabase("conformance");

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
