import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { createLibsqlRepositories } from "@mika-maintenance/libsql";

const repositories = createLibsqlRepositories(); // file:mika-maintenance.db
await repositories.migrate();
console.log(await createMikaMaintenanceRunner({ repositories }).runOnce());
await repositories.close();
