import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { createMemoryStore } from "./support/conformance-stores.ts";

runAdapterConformance({ name: "libsql (:memory:)", createRepositories: createMemoryStore });
