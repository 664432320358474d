import { MIKA_CONFORMANCE_GROUPS, runAdapterConformance } from "../src/index.ts";

// An adapter that opts out of every group never creates a store: each group reports one
// passing test that names the reason, and nothing is skipped silently.
runAdapterConformance({
  name: "opt-out self-test",
  createRepositories: () => Promise.reject(new Error("no group should create a store")),
  capabilities: Object.fromEntries(
    MIKA_CONFORMANCE_GROUPS.map((group) => [
      group,
      { supported: false, reason: `this self-test only checks how ${group} reports an opt-out.` },
    ]),
  ),
});
