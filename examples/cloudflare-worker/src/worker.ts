// The Worker entry named by `main` in wrangler.jsonc: Astro's fetch handler plus a
// scheduled() handler for the Cron Trigger. Requires `@astrojs/cloudflare` as the site's
// adapter (see README.md).
import astro from "@astrojs/cloudflare/entrypoints/server";
import { scheduled } from "./scheduled.ts";

export default {
  fetch: astro.fetch,
  scheduled,
};
