import { MIKA_CONFORMANCE_GROUP_DEFINITIONS } from "./groups/index.ts";

/** The name of one conformance test group; adapters opt out of groups by these names. */
export type MikaConformanceGroup = (typeof MIKA_CONFORMANCE_GROUP_DEFINITIONS)[number]["name"];

/** The named test groups of the conformance suite, in the order they run. */
export const MIKA_CONFORMANCE_GROUPS: readonly MikaConformanceGroup[] =
  MIKA_CONFORMANCE_GROUP_DEFINITIONS.map((group) => group.name);
