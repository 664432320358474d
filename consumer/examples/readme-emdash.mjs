// astro.config.mjs: every minute, with no repositories yet (every task reports `skipped`)
import { mikaPlugin } from "@mika-maintenance/emdash";
import { mikaMaintenanceStartup } from "@mika-maintenance/emdash/astro";
import { defineConfig } from "astro/config";
import emdash from "emdash/astro";
import { libsql } from "emdash/db";
export default defineConfig({
  integrations: [
    emdash({ database: libsql({ url: "file:./data/emdash.db" }), plugins: [mikaPlugin()] }),
    mikaMaintenanceStartup(), // Node: schedule when the server starts, not on the first request
  ],
});
