export {
  ERASED_EMAIL_SKIP_REASON,
  MIKA_SQLITE_DEFAULT_TABLE_PREFIX as MIKA_D1_DEFAULT_TABLE_PREFIX,
  MIKA_SQLITE_MIGRATIONS as MIKA_D1_MIGRATIONS,
  MikaSqliteInputError as MikaD1InputError,
  type MikaSqliteRowViolation as MikaD1RowViolation,
} from "@mika-maintenance/sqlite";
export { createD1Repositories } from "./create-d1-repositories.ts";
export {
  MikaD1Error,
  type MikaD1ErrorCode,
  MikaD1OptionsError,
  MikaD1RowsBreakMigrationError,
} from "./errors.ts";
export type {
  MikaD1Binding,
  MikaD1RepositoriesOptions,
} from "./options.ts";
