// Server-only: this module opens the mika-maintenance database. Import it from server code
// (the plugin entrypoint, API routes), never from a component that ships to the browser.
import { createLibsqlRepositories } from "@mika-maintenance/libsql";

/** The storefront's maintenance store: a libSQL file next to EmDash's own database. */
export const repositories = createLibsqlRepositories({
  url: process.env.MIKA_DATABASE_URL ?? "file:./data/mika-maintenance.db",
});

// Migrations ship with the adapter, are recorded in the database and are safe to run from
// several processes at once; running them at startup keeps the example self-contained.
await repositories.migrate();
