import {
  createRandomId,
  MikaMaintenanceOptionsError,
  type MikaOptionKeyTable,
  rejectUnknownOptions,
} from "@mika-maintenance/core";

/** Options of `createMemoryRepositories`. */
export interface MikaMemoryRepositoriesOptions {
  /** Generates ids for rows created without one. Default: `crypto.randomUUID()`. */
  createId?: () => string;
}

/** The options with defaults applied. */
export interface ResolvedMemoryOptions {
  createId: () => string;
}

/** Every key of `createMemoryRepositories`' options, for the unknown-key check. */
export const MIKA_MEMORY_OPTION_KEYS = {
  createId: true,
} as const satisfies MikaOptionKeyTable<MikaMemoryRepositoriesOptions>;

/** Validates `createMemoryRepositories` options, naming the offending field. */
export function resolveMemoryOptions(options: unknown): ResolvedMemoryOptions {
  if (options === undefined) return { createId: createRandomId };
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new MikaMaintenanceOptionsError(
      "options",
      "createMemoryRepositories options must be an object such as { createId }, or omitted.",
    );
  }
  rejectUnknownOptions("createMemoryRepositories", options, MIKA_MEMORY_OPTION_KEYS);
  const { createId } = options as MikaMemoryRepositoriesOptions;
  if (createId !== undefined && typeof createId !== "function") {
    throw new MikaMaintenanceOptionsError(
      "createId",
      "createId must be a function that returns a new unique id string, or omitted.",
    );
  }
  return { createId: createId ?? createRandomId };
}
