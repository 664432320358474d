// Wrong options must fail to type-check for a consumer (strict, skipLibCheck: false). Each
// `@ts-expect-error` fails `tsc` when the line below it stops being an error.
import { createMikaMaintenanceRunner } from "@mika-maintenance/core";
import { createLibsqlRepositories } from "@mika-maintenance/libsql";
import { createMemoryRepositories } from "@mika-maintenance/memory";
import { createPostgresRepositories } from "@mika-maintenance/postgres";

// @ts-expect-error a pool must be a pg Pool (needs @types/pg, which the package brings)
createPostgresRepositories({ pool: "not a pool" });
// @ts-expect-error exactly one connection source
createPostgresRepositories({ connectionString: "postgres://db/shop", db: undefined, pool: {} });
// @ts-expect-error batchSize is a number
createPostgresRepositories({ connectionString: "postgres://db/shop", batchSize: "500" });
// @ts-expect-error synchronous is "full" or "normal"
createLibsqlRepositories({ url: "file:x.db", synchronous: "off" });
// @ts-expect-error the runner needs repositories
createMikaMaintenanceRunner({ repository: createMemoryRepositories() });
