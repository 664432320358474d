// @ts-check
import { fileURLToPath } from "node:url";
import node from "@astrojs/node";
import react from "@astrojs/react";
import { mikaPlugin } from "@mika-maintenance/emdash";
import { defineConfig } from "astro/config";
import emdash from "emdash/astro";
import { libsql } from "emdash/db";

export default defineConfig({
  output: "server",
  adapter: node({ mode: "standalone" }),
  integrations: [
    react(),
    emdash({
      database: libsql({ url: process.env.EMDASH_DATABASE_URL ?? "file:./data/emdash.db" }),
      // System fonts: nothing is downloaded at build time.
      fonts: false,
      plugins: [
        // Only serializable settings go here; EmDash writes them into generated code.
        mikaPlugin({
          // EmDash imports `createPlugin` from this module at runtime. It is ours, so it can
          // hand the plugin live repositories. Absolute, because EmDash imports it from a
          // generated module where relative paths do not resolve.
          entrypoint: fileURLToPath(new URL("./src/plugins/mika-plugin.ts", import.meta.url)),
          maintenance: {
            enabled: process.env.MIKA_MAINTENANCE_ENABLED !== "false",
            schedule: process.env.MIKA_MAINTENANCE_SCHEDULE ?? "* * * * *",
          },
        }),
      ],
    }),
  ],
});
