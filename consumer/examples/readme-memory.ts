import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { createMemoryRepositories } from "@mika-maintenance/memory";

const repositories = createMemoryRepositories();
const result = await createMikaMaintenanceRunner({ repositories }).runOnce();
console.log(result.stockReservations); // { status: "completed", result: { reservationsScanned: 0, … } }
