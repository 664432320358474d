// @ts-check
import { fileURLToPath } from "node:url";
import cloudflare from "@astrojs/cloudflare";
import react from "@astrojs/react";
import { d1 } from "@emdash-cms/cloudflare";
import { mikaPlugin } from "@mika-maintenance/emdash";
import { defineConfig } from "astro/config";
import emdash from "emdash/astro";

// The workspace packages export their TypeScript sources under the `dev-source` condition, so
// the Worker builds from a fresh clone without building them first.
// Vite adds these to the Cloudflare plugin's own (workerd, worker, ...).
const serverResolve = { conditions: ["dev-source"], externalConditions: ["dev-source"] };

export default defineConfig({
  output: "server",
  // Builds the Worker named by `main` in wrangler.jsonc (src/worker.ts) with Astro's server.
  adapter: cloudflare(),
  vite: {
    environments: { ssr: { resolve: serverResolve }, prerender: { resolve: serverResolve } },
  },
  integrations: [
    react(),
    emdash({
      // EmDash's own database: the D1 binding `DB` in wrangler.jsonc.
      database: d1({ binding: "DB" }),
      // No Google Fonts download at build time.
      fonts: false,
      plugins: [
        mikaPlugin({
          // Ours, so it can hand the plugin repositories built from the Worker's bindings.
          // Absolute, because EmDash imports it from a generated module.
          entrypoint: fileURLToPath(new URL("./src/plugins/mika-plugin.ts", import.meta.url)),
          maintenance: { enabled: true, schedule: "* * * * *" },
        }),
      ],
    }),
  ],
});
