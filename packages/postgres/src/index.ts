export {
  createPostgresRepositories,
  type MikaPostgresAdapter,
} from "./create-postgres-repositories.ts";
export {
  MikaPostgresInputError,
  MikaPostgresMigrationError,
  MikaPostgresOptionsError,
} from "./errors.ts";
export {
  MikaPostgresMigrationProvider,
  mikaPostgresMigrations,
} from "./migrations/index.ts";
export type { MikaPostgresOptions, MikaResolvedPostgresOptions } from "./options.ts";
export { parsePostgresOptions } from "./options.ts";
export {
  MIKA_POSTGRES_TABLES,
  type MikaPostgresTableName,
  type MikaTableLocation,
  migrationTableNames,
  physicalTableName,
} from "./schema/table-names.ts";
export type { MikaPostgresDatabase } from "./schema/tables.ts";
