// The Worker entry named by `main` in wrangler.jsonc: Astro's fetch handler plus a
// scheduled() handler for the Cron Trigger. `astro build` (@astrojs/cloudflare) bundles it with
// the site into dist/server.
import astro from "@astrojs/cloudflare/entrypoints/server";
import { scheduled } from "./scheduled.ts";

export default {
  fetch: astro.fetch,
  scheduled,
};
