import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { afterAll, beforeAll } from "vitest";
import { createD1StoreFactory } from "./support/conformance-stores.ts";
import { type LocalD1, startLocalD1 } from "./support/miniflare-d1.ts";

// One workerd with one local D1 database for the whole file; each store gets its own tables.
let d1: LocalD1;
beforeAll(async () => {
  d1 = await startLocalD1();
});
afterAll(() => d1?.dispose());

runAdapterConformance({
  name: "d1 (workerd, local D1)",
  createRepositories: () => createD1StoreFactory(d1)(),
});
