import { createRandomId, MikaMaintenanceOptionsError } from "@mika-maintenance/core";

/** Options of `createMemoryRepositories`. */
export interface MikaMemoryRepositoriesOptions {
  /** Generates ids for rows created without one. Default: `crypto.randomUUID()`. */
  createId?: () => string;
}

/** The options with defaults applied. */
export interface ResolvedMemoryOptions {
  createId: () => string;
}

const KNOWN_OPTIONS = ["createId"] as const;

/** Validates `createMemoryRepositories` options, naming the offending field. */
export function resolveMemoryOptions(options: unknown): ResolvedMemoryOptions {
  if (options === undefined) return { createId: createRandomId };
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new MikaMaintenanceOptionsError(
      "options",
      "createMemoryRepositories options must be an object such as { createId }, or omitted.",
    );
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      throw new MikaMaintenanceOptionsError(
        key,
        `Unknown createMemoryRepositories option "${key}". Allowed: ${KNOWN_OPTIONS.join(", ")}.`,
      );
    }
  }
  const { createId } = options as MikaMemoryRepositoriesOptions;
  if (createId !== undefined && typeof createId !== "function") {
    throw new MikaMaintenanceOptionsError(
      "createId",
      "createId must be a function that returns a new unique id string, or omitted.",
    );
  }
  return { createId: createId ?? createRandomId };
}
