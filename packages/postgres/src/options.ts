import type { Kysely } from "kysely";
import type { Pool } from "pg";
import { z } from "zod";
import { MikaPostgresOptionsError } from "./errors.ts";

/** Lowercase Postgres identifiers only: they are emitted quoted, and must mean what they say. */
const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
/** Short enough that the longest table and index name stays within Postgres's 63 bytes. */
const TABLE_PREFIX_PATTERN = /^(?:[a-z_][a-z0-9_]{0,23})?$/;
const CONNECTION_STRING_PATTERN = /^postgres(?:ql)?:\/\//;
const CONNECTION_FIELDS = ["pool", "connectionString", "db"] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

const poolSchema = z.custom<Pool>(
  (value) =>
    isObject(value) && typeof value.connect === "function" && typeof value.query === "function",
  { message: "pool must be a pg Pool (an object with connect() and query())." },
);

// biome-ignore lint/suspicious/noExplicitAny: a host's Kysely instance has the host's own tables.
const dbSchema = z.custom<Kysely<any>>(
  (value) =>
    isObject(value) &&
    typeof value.selectFrom === "function" &&
    typeof value.connection === "function" &&
    typeof value.withoutPlugins === "function",
  { message: "db must be a Kysely instance (new Kysely({ dialect: new PostgresDialect(...) }))." },
);

/** One schema per option; the allowed-key list in errors is read from it. */
const optionsShape = {
  pool: poolSchema.optional(),
  connectionString: z
    .string({ error: "connectionString must be a string." })
    .regex(CONNECTION_STRING_PATTERN, {
      error: "connectionString must be a postgres:// or postgresql:// URL.",
    })
    .optional(),
  db: dbSchema.optional(),
  schema: z
    .string({ error: "schema must be a string." })
    .regex(SCHEMA_PATTERN, {
      error:
        "schema must be a lowercase Postgres identifier: a letter or underscore, then letters, digits or underscores, at most 63 characters.",
    })
    .refine((value) => !value.startsWith("pg_"), {
      error: 'schema must not start with "pg_" (reserved by Postgres).',
    })
    .default("public"),
  tablePrefix: z
    .string({ error: "tablePrefix must be a string." })
    .regex(TABLE_PREFIX_PATTERN, {
      error:
        'tablePrefix must be empty or a lowercase identifier start: a letter or underscore, then letters, digits or underscores, at most 24 characters (e.g. "mika_").',
    })
    .default("mika_"),
  batchSize: z
    .number({ error: "batchSize must be a number." })
    .int({ error: "batchSize must be a whole number." })
    .min(1, { error: "batchSize must be at least 1." })
    .max(10_000, { error: "batchSize must be at most 10000." })
    .optional(),
} satisfies Record<MikaPostgresOptionKey, z.ZodType>;

const optionsSchema = z.strictObject(optionsShape).superRefine((options, context) => {
  const given = CONNECTION_FIELDS.filter((field) => options[field] !== undefined);
  if (given.length !== 1) {
    context.addIssue({
      code: "custom",
      path: given.length === 0 ? ["pool"] : [given[1] ?? "pool"],
      message:
        given.length === 0
          ? "createPostgresRepositories needs exactly one of pool (a pg Pool), connectionString (a postgres:// URL) or db (a Kysely instance)."
          : `createPostgresRepositories takes exactly one of pool, connectionString or db; got ${given.join(" and ")}.`,
    });
  }
});

/** Options of `createPostgresRepositories`: one connection source plus where the tables live. */
export type MikaPostgresOptions = (
  | { pool: Pool; connectionString?: never; db?: never }
  | { connectionString: string; pool?: never; db?: never }
  // biome-ignore lint/suspicious/noExplicitAny: a host's Kysely instance has the host's own tables.
  | { db: Kysely<any>; pool?: never; connectionString?: never }
) & {
  /** Postgres schema of the tables (default `public`). Created by `migrate()` when missing. */
  schema?: string;
  /** Prefix of every table and index name (default `mika_`). */
  tablePrefix?: string;
  /**
   * Rows per transaction in maintenance sweeps, fixed. Default: adaptive, from 1,000 rows
   * growing to 10,000 while batches stay well under 250 ms (see docs/adapters.md).
   */
  batchSize?: number;
};

type MikaPostgresOptionKey =
  | "pool"
  | "connectionString"
  | "db"
  | keyof Omit<MikaPostgresOptions, "pool" | "connectionString" | "db">;

/** Validated options, defaults applied (spelled out so the public types carry no zod types). */
export interface MikaResolvedPostgresOptions {
  /** The host's pool, when given. */
  pool?: Pool;
  /** The URL the adapter opens its own pool with, when given. */
  connectionString?: string;
  /** The host's Kysely instance, when given. */
  // biome-ignore lint/suspicious/noExplicitAny: a host's Kysely instance has the host's own tables.
  db?: Kysely<any>;
  /** Postgres schema of the tables. */
  schema: string;
  /** Prefix of every table and index name. */
  tablePrefix: string;
  /** Rows per transaction in maintenance sweeps; adaptive when absent. */
  batchSize?: number;
}

/** Validates options; throws `MikaPostgresOptionsError` naming the first bad field. */
export function parsePostgresOptions(options: unknown): MikaResolvedPostgresOptions {
  if (!isObject(options)) {
    throw new MikaPostgresOptionsError(
      "options",
      "createPostgresRepositories needs an options object with pool, connectionString or db.",
    );
  }
  const result = optionsSchema.safeParse(options);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === "unrecognized_keys") {
    const field = issue.keys[0] ?? "options";
    throw new MikaPostgresOptionsError(
      field,
      `Unknown createPostgresRepositories option "${field}"; allowed: ${Object.keys(optionsShape).join(", ")}.`,
    );
  }
  const field = issue?.path.map(String).join(".") || "options";
  throw new MikaPostgresOptionsError(field, issue?.message ?? `Invalid option ${field}.`);
}
