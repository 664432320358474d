import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { createMemoryRepositories } from "../src/index.ts";
import { writeMalformedValue } from "./malformed-values.ts";

runAdapterConformance({
  name: "memory",
  // Every test gets its own adapter, so there is no shared state to reset.
  async createRepositories() {
    const adapter = createMemoryRepositories();
    return {
      repositories: adapter,
      dumpTables: async () => adapter.dumpTables(),
      writeMalformedValue: (input) => writeMalformedValue(adapter, input),
      close: () => adapter.close(),
    };
  },
  capabilities: {
    malformedRowsInvalidJson: {
      supported: false,
      reason:
        "The memory store keeps JSON columns as JavaScript values, never as JSON text, so there is no text that could fail to parse; malformedRowsJsonNotObject covers a wrong value there.",
    },
  },
});
