// @ts-check
import { fileURLToPath } from "node:url";
import node from "@astrojs/node";
import react from "@astrojs/react";
import { mikaPlugin } from "@mika-maintenance/emdash";
import { mikaMaintenanceStartup } from "@mika-maintenance/emdash/astro";
import { defineConfig, fontProviders } from "astro/config";
import emdash from "emdash/astro";
import { libsql } from "emdash/db";

// The workspace packages export their TypeScript sources under the `dev-source` condition, so the
// server code of this site runs and builds from a fresh clone without building them first.
const serverResolve = {
  conditions: ["dev-source", "module", "node", "import", "default"],
  externalConditions: ["dev-source"],
};

export default defineConfig({
  output: "server",
  adapter: node({ mode: "standalone" }),
  // EmDash's admin page always renders <Font cssVariable="--font-emdash">; with `fonts: false`
  // below it finds no data and every admin page fails (EmDash 0.32). The font comes from an npm
  // package instead of being downloaded from Google Fonts at build time.
  fonts: [
    {
      provider: fontProviders.local(),
      name: "Noto Sans",
      cssVariable: "--font-emdash",
      options: {
        variants: [
          {
            weight: 400,
            style: "normal",
            src: ["@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2"],
          },
          {
            weight: 600,
            style: "normal",
            src: ["@fontsource/noto-sans/files/noto-sans-latin-600-normal.woff2"],
          },
        ],
      },
    },
  ],
  vite: {
    environments: { ssr: { resolve: serverResolve }, prerender: { resolve: serverResolve } },
  },
  integrations: [
    react(),
    emdash({
      // Read when the site is built: EmDash writes its database config into the server bundle.
      database: libsql({ url: process.env.EMDASH_DATABASE_URL ?? "file:./data/emdash.db" }),
      // No Google Fonts download at build time; the admin font is configured above.
      fonts: false,
      plugins: [
        // Only serializable settings go here; EmDash writes them into generated code. They are the
        // defaults: an admin can change both in EmDash's plugin settings at runtime.
        mikaPlugin({
          // EmDash imports `createPlugin` from this module at runtime. It is ours, so it can
          // hand the plugin live repositories. Absolute, because EmDash imports it from a
          // generated module where relative paths do not resolve.
          entrypoint: fileURLToPath(new URL("./src/plugins/mika-plugin.ts", import.meta.url)),
          maintenance: { enabled: true, schedule: "* * * * *" },
        }),
      ],
    }),
    // Starts EmDash's runtime, its cron timer and the mika_maintenance task when the Node
    // server starts, instead of on the first request.
    mikaMaintenanceStartup(),
  ],
});
