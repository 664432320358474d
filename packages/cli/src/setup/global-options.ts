import { type Command, Option } from "commander";
import { LOG_FORMATS, LOG_LEVELS } from "../logging/create-cli-logger.ts";

/** Flags every command accepts (after commander has merged the environment in). */
export interface MikaGlobalFlags {
  databaseUrl?: string;
  authToken?: string;
  config?: string;
  schema?: string;
  tablePrefix?: string;
  create?: boolean;
  logLevel?: string;
  logFormat?: string;
  json?: boolean;
  table?: boolean;
}

/**
 * The options every command takes, each with its environment variable. The database URL also
 * falls back to `DATABASE_URL` (flag, then `MIKA_DATABASE_URL`, then `DATABASE_URL`).
 */
export function addGlobalOptions(program: Command): Command {
  const options = [
    new Option(
      "--database-url <url>",
      "postgres://, postgresql://, libsql://, https://, wss:// or file:<path>; else DATABASE_URL, else file:mika-maintenance.db",
    ).env("MIKA_DATABASE_URL"),
    new Option(
      "--auth-token <token>",
      "auth token of a remote libSQL database (Turso, sqld); never printed",
    ).env("MIKA_AUTH_TOKEN"),
    new Option(
      "--config <module>",
      "module exporting runtime dependencies (sender, acpSessionStore, lanes, …)",
    ).env("MIKA_CONFIG"),
    new Option("--schema <name>", "Postgres schema of the tables (default public)").env(
      "MIKA_SCHEMA",
    ),
    new Option("--table-prefix <prefix>", "prefix of every table name (default mika_)").env(
      "MIKA_TABLE_PREFIX",
    ),
    new Option(
      "--create",
      "allow migrate (or --migrate) to create a new local database file the URL did not name",
    ).env("MIKA_CREATE"),
    new Option("--log-level <level>", "log level of run (idle passes log at debug)")
      .choices(LOG_LEVELS)
      .default("info")
      .env("MIKA_LOG_LEVEL"),
    new Option(
      "--log-format <format>",
      "log lines as JSON, or one readable line each (default: pretty on a terminal)",
    )
      .choices(LOG_FORMATS)
      .env("MIKA_LOG_FORMAT"),
    new Option("--json", "JSON output (the default when stdout is not a terminal)").env(
      "MIKA_JSON",
    ),
    new Option("--table", "table output even when stdout is not a terminal").env("MIKA_TABLE"),
  ];
  for (const option of options) program.addOption(option);
  return program;
}
