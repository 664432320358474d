// The part of `cloudflare:workers` this site reads: the bindings wrangler.jsonc declares.
// (@cloudflare/workers-types declares the whole module, but its globals clash with the DOM and
// Node types the rest of this project is checked against.)
declare module "cloudflare:workers" {
  import type { MikaD1Binding } from "@mika-maintenance/d1";

  /** The Worker's bindings, readable anywhere in the Worker (not only inside a handler). */
  export const env: {
    /** The maintenance store's D1 database (EmDash reads its own, `DB`, itself). */
    MIKA_DB: MikaD1Binding;
  };
}
