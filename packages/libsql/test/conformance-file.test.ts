import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { createFileStore } from "./support/conformance-stores.ts";

runAdapterConformance({ name: "libsql (file)", createRepositories: createFileStore });
