export {
  createMemoryRepositories,
  type MikaMemoryAdapter,
} from "./create-memory-repositories.ts";
export type { MikaMemoryTableDump } from "./database/dump-tables.ts";
export { MikaMemoryConflictError, MikaMemoryInputError } from "./errors.ts";
export type { MikaMemoryRepositoriesOptions } from "./options.ts";
export { MIKA_MEMORY_TABLE_NAMES, type MikaMemoryTableName } from "./schema/tables.ts";
