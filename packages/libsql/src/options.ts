import type { Client } from "@libsql/client";
import { describeValue as describe } from "@mika-maintenance/core";
import { MIKA_SQLITE_DEFAULT_TABLE_PREFIX } from "@mika-maintenance/sqlite";
import { z } from "zod";
import { MikaLibsqlOptionsError, type MikaLibsqlOptionsIssue } from "./errors.ts";

/** The embedded database every quick start uses when no `url` or `client` is given. */
export const MIKA_LIBSQL_DEFAULT_URL = "file:mika-maintenance.db";
/** The prefix of every table name unless `tablePrefix` says otherwise. */
export const MIKA_LIBSQL_DEFAULT_TABLE_PREFIX = MIKA_SQLITE_DEFAULT_TABLE_PREFIX;
/** How long a write waits for another process's lock before failing, by default. */
export const MIKA_LIBSQL_DEFAULT_BUSY_TIMEOUT_MS = 5_000;

interface MikaLibsqlCommonOptions {
  /** Prefix of every table and index name: letters, digits, `_`. Default `mika_`. */
  tablePrefix?: string;
  /**
   * How long a write waits for another process that holds the database's write lock before it
   * fails with `MIKA_LIBSQL_DATABASE_BUSY`, in milliseconds. Default 5000.
   */
  busyTimeoutMs?: number;
}

/** Use a client the host created; the adapter never closes it. */
export interface MikaLibsqlClientOptions extends MikaLibsqlCommonOptions {
  client: Client;
  url?: never;
  authToken?: never;
  synchronous?: never;
}

/** Let the adapter open (and later close) its own client. */
export interface MikaLibsqlUrlOptions extends MikaLibsqlCommonOptions {
  client?: never;
  /**
   * `file:<path>` (default `file:mika-maintenance.db`), `:memory:`, or a remote
   * `libsql://`, `https://`, `wss://` URL (with `authToken`).
   */
  url?: string;
  /** Auth token of a remote database (Turso, sqld). */
  authToken?: string;
  /**
   * SQLite's `synchronous` setting for the adapter's own connection to a file. `"full"`
   * (default, SQLite's own) makes every commit durable; `"normal"` skips the fsync per commit
   * (WAL keeps the file consistent, but the last commits may roll back after a power loss).
   */
  synchronous?: "full" | "normal";
}

/** Options of `createLibsqlRepositories`. */
export type MikaLibsqlRepositoriesOptions = MikaLibsqlClientOptions | MikaLibsqlUrlOptions;

/** The options after validation and defaults. */
export type MikaResolvedLibsqlOptions = {
  tablePrefix: string;
  busyTimeoutMs: number;
} & (
  | { kind: "client"; client: Client }
  | { kind: "url"; url: string; authToken?: string; synchronous: "full" | "normal" }
);

const REMOTE_SCHEMES = ["libsql:", "https:", "http:", "wss:", "ws:"];

/** True for URLs of a libSQL server (Turso, sqld) rather than a local file or memory. */
export function isRemoteUrl(url: string): boolean {
  return REMOTE_SCHEMES.some((scheme) => url.toLowerCase().startsWith(scheme));
}

function isLocalUrl(url: string): boolean {
  return url === ":memory:" || url.toLowerCase().startsWith("file:");
}

const clientSchema = z.custom<Client>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Client>).execute === "function" &&
    typeof (value as Partial<Client>).transaction === "function",
  {
    error: (issue) =>
      `must be a @libsql/client Client (an object with execute() and transaction()), got ${describe(issue.input)}`,
  },
);

const urlSchema = z
  .string({ error: (issue) => `must be a string URL, got ${describe(issue.input)}` })
  .refine((url) => isLocalUrl(url) || isRemoteUrl(url), {
    error: (issue) =>
      'must be "file:<path>", ":memory:", or a remote "libsql://", "https://" or "wss://" URL, ' +
      `got ${describe(issue.input)}`,
  });

/** One schema per option; the allowed-key list in errors is read from it. */
const optionsShape = {
  client: clientSchema.optional(),
  url: urlSchema.optional(),
  authToken: z
    .string({ error: (issue) => `must be a string, got ${describe(issue.input)}` })
    .min(1, "must not be empty; leave it out when the database needs no token")
    .optional(),
  synchronous: z
    .enum(["full", "normal"], {
      error: (issue) => `must be "full" or "normal", got ${describe(issue.input)}`,
    })
    .optional(),
  tablePrefix: z
    .string({ error: (issue) => `must be a string, got ${describe(issue.input)}` })
    .max(40, "must be at most 40 characters")
    .regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/, {
      error: (issue) =>
        "must be letters, digits and underscores, not starting with a digit " +
        `(e.g. "mika_" or "shop_mika_"), got ${describe(issue.input)}`,
    })
    .optional(),
  busyTimeoutMs: z
    .number({
      error: (issue) => `must be a number of milliseconds, got ${describe(issue.input)}`,
    })
    .int("must be a whole number of milliseconds")
    .min(0, "must be >= 0")
    .max(600_000, "must be at most 600000 (10 minutes)")
    .optional(),
} satisfies Record<keyof MikaLibsqlClientOptions | keyof MikaLibsqlUrlOptions, z.ZodType>;

const ALLOWED_OPTIONS = Object.keys(optionsShape).join(", ");

const optionsSchema = z
  .strictObject(optionsShape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `is not an option; allowed: ${ALLOWED_OPTIONS}`
        : `must be an options object, got ${describe(issue.input)}`,
  })
  .superRefine((options, context) => {
    if (options.client !== undefined && options.url !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["url"],
        message: "cannot be combined with client; pass either a client or a url",
      });
    }
    if (options.client !== undefined && options.authToken !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["authToken"],
        message: "cannot be combined with client; configure the token on your client",
      });
    }
    if (options.client !== undefined && options.synchronous !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["synchronous"],
        message: "cannot be combined with client; run PRAGMA synchronous on your own connections",
      });
    }
    if (options.authToken !== undefined && !isRemoteUrl(options.url ?? MIKA_LIBSQL_DEFAULT_URL)) {
      context.addIssue({
        code: "custom",
        path: ["authToken"],
        message: 'only applies to a remote url ("libsql://", "https://", "wss://")',
      });
    }
  });

/** Validates `createLibsqlRepositories` options and applies defaults. */
export function resolveLibsqlOptions(options: unknown): MikaResolvedLibsqlOptions {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new MikaLibsqlOptionsError(parsed.error.issues.flatMap(toOptionsIssues));
  }
  const { client, url, authToken, synchronous, tablePrefix, busyTimeoutMs } = parsed.data;
  const common = {
    tablePrefix: tablePrefix ?? MIKA_LIBSQL_DEFAULT_TABLE_PREFIX,
    busyTimeoutMs: busyTimeoutMs ?? MIKA_LIBSQL_DEFAULT_BUSY_TIMEOUT_MS,
  };
  if (client) return { ...common, kind: "client", client };
  return {
    ...common,
    kind: "url",
    url: url ?? MIKA_LIBSQL_DEFAULT_URL,
    synchronous: synchronous ?? "full",
    ...(authToken === undefined ? {} : { authToken }),
  };
}

function toOptionsIssues(issue: z.core.$ZodIssue): MikaLibsqlOptionsIssue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({ field: key, message: issue.message }));
  }
  return [{ field: issue.path.map(String).join(".") || "options", message: issue.message }];
}
