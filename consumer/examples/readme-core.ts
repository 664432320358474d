import { createMikaMaintenanceRunner, summarizeMaintenanceResult } from "@mika-maintenance/core";
import { createMemoryRepositories } from "@mika-maintenance/memory";

const runner = createMikaMaintenanceRunner({ repositories: createMemoryRepositories() });
console.log(summarizeMaintenanceResult(await runner.runOnce({ now: new Date() })));
