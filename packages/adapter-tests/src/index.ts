export type { MikaConformanceContext } from "./context.ts";
export {
  defineConformanceGroup,
  type MikaConformanceGroupDefinition,
  type MikaConformanceTest,
} from "./define-group.ts";
export { MikaConformanceOptionsError } from "./errors.ts";
export { MIKA_CONFORMANCE_GROUP_DEFINITIONS } from "./groups/index.ts";
export { MIKA_CONFORMANCE_GROUPS, type MikaConformanceGroup } from "./groups.ts";
export { type MikaConformanceOptions, runAdapterConformance } from "./run-adapter-conformance.ts";
export { closedPort, everythingAbout, rejectionOf } from "./support/error-text.ts";
export { malformedWriteTarget } from "./support/malformed-target.ts";
export { type DumpMatch, findInDump } from "./support/pii-scan.ts";
export { expectSecretsKeptOutOfErrors, expectSecretsKeptOutOfRuns } from "./support/secrets.ts";
export {
  expectErasureSubjectsUpgrade,
  expectWorkflowRetriesUpgrade,
} from "./support/upgrade-checks.ts";
export type {
  MikaCapabilityOptOut,
  MikaConformanceConnection,
  MikaConformanceStore,
  MikaMalformedTable,
  MikaMalformedValueKind,
  MikaMalformedWrite,
  MikaTableDump,
} from "./types.ts";
