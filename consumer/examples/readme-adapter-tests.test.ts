import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { createMemoryRepositories } from "@mika-maintenance/memory";

const fresh = (a = createMemoryRepositories()) => ({
  repositories: a,
  dumpTables: async () => a.dumpTables(),
  close: () => a.close(),
});
runAdapterConformance({ name: "memory", createRepositories: async () => fresh() });
