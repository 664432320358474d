import { runAdapterConformance } from "@mika-maintenance/adapter-tests";
import { createMemoryRepositories } from "@mika-maintenance/memory";

const fresh = (a = createMemoryRepositories()) => ({
  repositories: a,
  dumpTables: async () => a.dumpTables(),
  close: () => a.close(),
});
// Without a raw writer (`writeMalformedValue`) the malformed-row groups opt out, with the reason.
const noRawWriter = {
  supported: false,
  reason: "This example wires no raw writer; the memory package's own suite does.",
} as const;
runAdapterConformance({
  name: "memory",
  createRepositories: async () => fresh(),
  capabilities: {
    malformedRowsInvalidJson: noRawWriter,
    malformedRowsJsonNotObject: noRawWriter,
    malformedRowsTimeBeyondRange: noRawWriter,
    malformedRowsInfiniteTime: noRawWriter,
  },
});
