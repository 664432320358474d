// Server-only: the runtime values the plugin entrypoint hands to createPlugin(). Import it from
// server code (the plugin entrypoint, API routes), never from a component sent to the browser.
import type {
  MikaCreatePluginOptions,
  MikaPluginMaintenanceRuntimeOptions,
} from "@mika-maintenance/emdash";
import { createLibsqlRepositories } from "@mika-maintenance/libsql";
import { ensureDatabaseDirectory } from "./database-directory.ts";

/** Read when the server starts, so one build runs against any store. */
const databaseUrl = process.env.MIKA_DATABASE_URL ?? "file:./data/mika-maintenance.db";
ensureDatabaseDirectory(databaseUrl);
// EmDash opens its own file (astro.config.mjs, default data/emdash.db) after this module has
// loaded, and its libSQL dialect does not create the folder, so it is created here too.
ensureDatabaseDirectory(process.env.EMDASH_DATABASE_URL ?? "file:./data/emdash.db");

/** The storefront's maintenance store: a libSQL file next to EmDash's own database. */
export const repositories = createLibsqlRepositories({ url: databaseUrl });

// Migrations ship with the adapter, are recorded in the database and are safe to run from
// several processes at once; running them at startup keeps the example self-contained.
await repositories.migrate();

/**
 * The Mika host API. This site has none: expired stock reservations are released through
 * `repositories.stock` instead of `api.admin.releaseExpiredReservations`.
 */
export const api: MikaCreatePluginOptions["api"] = undefined;

/**
 * This site sends no email yet, so the `emailOutbox` task reports `skipped`. Export
 * `createMikaEmailOutboxRunner({ repositories, sender })` from @mika-maintenance/core with a
 * sender for your provider to drain the outbox.
 */
export const emailOutboxRunner: MikaPluginMaintenanceRuntimeOptions["emailOutboxRunner"] =
  undefined;
