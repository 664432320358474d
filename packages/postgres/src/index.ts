export {
  createPostgresRepositories,
  type MikaPostgresAdapter,
} from "./create-postgres-repositories.ts";
export {
  MikaPostgresInputError,
  MikaPostgresMigrationError,
  MikaPostgresOptionsError,
} from "./errors.ts";
export type { MikaPostgresOptions, MikaResolvedPostgresOptions } from "./options.ts";
export { parsePostgresOptions } from "./options.ts";
export {
  MikaPostgresMigrationProvider,
  mikaPostgresMigrations,
} from "./schema/migrations/index.ts";
export {
  MIKA_POSTGRES_TABLES,
  type MikaPostgresTableName,
  type MikaTableLocation,
  migrationTableNames,
  physicalTableName,
} from "./schema/table-names.ts";
export type { MikaPostgresDatabase } from "./schema/tables.ts";
