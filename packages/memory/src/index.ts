export {
  createMemoryRepositories,
  type MikaMemoryAdapter,
} from "./create-memory-repositories.ts";
export type { MikaMemoryTableDump } from "./dump-tables.ts";
export { MikaMemoryConflictError, MikaMemoryInputError } from "./memory-errors.ts";
export type { MikaMemoryRepositoriesOptions } from "./memory-options.ts";
export { MIKA_MEMORY_TABLE_NAMES, type MikaMemoryTableName } from "./memory-state.ts";
