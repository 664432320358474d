import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { createPostgresRepositories } from "@mika-maintenance/postgres";

const repositories = createPostgresRepositories({ connectionString: process.env.DATABASE_URL! });
await repositories.migrate();
console.log(await createMikaMaintenanceRunner({ repositories }).runOnce());
await repositories.close(); // ends the pool the adapter opened, so the process can exit
