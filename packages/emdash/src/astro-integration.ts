/** The slice of Vite's plugin context this integration uses (typed here: no `vite` dependency). */
interface ResolveContext {
  resolve(
    id: string,
    importer: string,
    options: { skipSelf: boolean },
  ): Promise<{ id: string } | null>;
}

/** The slice of Astro's integration API this integration uses (typed here: no `astro` dependency). */
export interface MikaAstroIntegration {
  name: string;
  hooks: {
    "astro:config:setup": (options: {
      config: { root: URL };
      updateConfig(config: { vite: { plugins: Array<{ name: string }> } }): unknown;
    }) => void;
    "astro:server:setup": (options: {
      server: {
        httpServer?: { once(event: "listening", listener: () => void): unknown } | null;
        environments: Record<string, unknown>;
      };
    }) => void;
  };
}

/** The module the server entry imports at startup; resolved from the site's own dependencies. */
const STARTUP_MODULE = "@mika-maintenance/emdash/server-startup";
const STARTUP_VIRTUAL_ID = "virtual:mika-maintenance/server-startup";
/** The Node adapter's server entry (`standalone` and `middleware` modes both load it). */
const NODE_SERVER_ENTRY = /[\\/]@astrojs[\\/]node[\\/]dist[\\/]server\.js$/;

/**
 * Astro integration that starts EmDash's runtime, and so its cron timer and the
 * `mika_maintenance` task, when a Node server starts instead of on its first request. In a
 * production build it adds one dynamic import to `@astrojs/node`'s server entry; under
 * `astro dev` it runs the same module once the dev server listens. Other adapters are left
 * alone: Cloudflare Workers need a `scheduled()` handler instead.
 */
export function mikaMaintenanceStartup(): MikaAstroIntegration {
  let rootImporter = "";
  return {
    name: "@mika-maintenance/emdash/startup",
    hooks: {
      "astro:config:setup": ({ config, updateConfig }) => {
        rootImporter = new URL("./package.json", config.root).pathname;
        const plugin = {
          name: "mika-maintenance:server-startup",
          enforce: "pre",
          async resolveId(this: ResolveContext, id: string) {
            if (id !== STARTUP_VIRTUAL_ID) return undefined;
            const resolved = await this.resolve(STARTUP_MODULE, rootImporter, {
              skipSelf: true,
            });
            if (!resolved) {
              throw new Error(
                `${STARTUP_MODULE} could not be resolved from ${rootImporter}; add @mika-maintenance/emdash to the site's dependencies`,
              );
            }
            return resolved;
          },
          transform(code: string, id: string) {
            if (!NODE_SERVER_ENTRY.test(id.split("?")[0] ?? id)) return undefined;
            return {
              code: `${code}\nimport(${JSON.stringify(STARTUP_VIRTUAL_ID)}).then((startup) => startup.startMikaMaintenanceWithServer());\n`,
              map: null,
            };
          },
        };
        updateConfig({ vite: { plugins: [plugin] } });
      },
      "astro:server:setup": ({ server }) => {
        server.httpServer?.once("listening", () => {
          const environment = server.environments.ssr as {
            runner?: { import(id: string): Promise<Record<string, unknown>> };
          };
          void environment.runner
            ?.import(STARTUP_VIRTUAL_ID)
            .then((startup) => (startup.startMikaMaintenanceWithServer as () => Promise<unknown>)())
            .catch((error: unknown) => {
              console.warn(
                "[mika-maintenance] could not start EmDash's runtime with astro dev:",
                error,
              );
            });
        });
      },
    },
  };
}
