import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { createMemoryRepositories } from "../src/index.ts";

runAdapterConformance({
  name: "memory",
  // Every test gets its own adapter, so there is no shared state to reset.
  async createRepositories() {
    const adapter = createMemoryRepositories();
    return {
      repositories: adapter,
      dumpTables: async () => adapter.dumpTables(),
      close: () => adapter.close(),
    };
  },
});
