import { describeValue } from "@mika-maintenance/core";
import { createMikaSqliteSchema, MIKA_SQLITE_DEFAULT_TABLE_PREFIX } from "@mika-maintenance/sqlite";
import { MikaD1OptionsError } from "./errors.ts";

/**
 * The part of a Cloudflare D1 binding (`env.DB`, a `D1Database`) the adapter uses. Declared
 * here so the package needs no Workers types; any real binding fits.
 */
export interface MikaD1Binding {
  prepare(query: string): unknown;
  batch(statements: unknown[]): Promise<unknown[]>;
}

/** Options of `createD1Repositories()`. */
export interface MikaD1RepositoriesOptions {
  /** The D1 binding from the Worker's `env` (or miniflare's `getD1Database()`). */
  binding: MikaD1Binding;
  /** Prefix of every table and index name: letters, digits, `_`. Default `mika_`. */
  tablePrefix?: string;
  /** How errors name the database, e.g. the binding's name `MIKA_DB`. Default `D1 binding`. */
  name?: string;
}

/** The options after validation, defaults filled in. */
export interface MikaResolvedD1Options {
  binding: MikaD1Binding;
  tablePrefix: string;
  name: string;
}

/** Validates the options; throws `MikaD1OptionsError` naming the first bad field. */
export function resolveD1Options(options: MikaD1RepositoriesOptions): MikaResolvedD1Options {
  if (typeof options !== "object" || options === null) {
    throw new MikaD1OptionsError(
      "options",
      `must be an object with a binding, got ${describeValue(options)}`,
    );
  }
  const { binding, tablePrefix = MIKA_SQLITE_DEFAULT_TABLE_PREFIX, name = "D1 binding" } = options;
  if (
    typeof binding !== "object" ||
    binding === null ||
    typeof binding.prepare !== "function" ||
    typeof binding.batch !== "function"
  ) {
    throw new MikaD1OptionsError(
      "binding",
      `must be a D1 binding (an object with prepare() and batch(), e.g. env.DB), got ${describeValue(binding)}`,
    );
  }
  if (typeof name !== "string" || name.trim() === "") {
    throw new MikaD1OptionsError("name", `must be a non-empty string, got ${describeValue(name)}`);
  }
  // The shared schema factory refuses a bad prefix with core's options error, naming it.
  createMikaSqliteSchema(tablePrefix);
  return { binding, tablePrefix, name };
}
