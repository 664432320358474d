/**
 * Stands in for EmDash's Astro integration in tests: serves the `virtual:emdash/*` modules that
 * `emdash/middleware` (and so the real `EmDashRuntime`) imports. The site config and the plugin
 * list are read from `globalThis`, so each test file sets up its own site before it imports
 * `emdash/middleware`.
 */

/** Where a test puts the site's EmDash config (`database`, …). */
export const EMDASH_TEST_CONFIG_KEY = "mika.test.emdash.config";
/** Where a test puts the resolved plugins, as `virtual:emdash/plugins` would export them. */
export const EMDASH_TEST_PLUGINS_KEY = "mika.test.emdash.plugins";

const fromGlobal = (key: string) => `globalThis[Symbol.for(${JSON.stringify(key)})]`;

const MODULES: Record<string, string> = {
  "virtual:emdash/config": `export default ${fromGlobal(EMDASH_TEST_CONFIG_KEY)};`,
  "virtual:emdash/plugins": `export const plugins = ${fromGlobal(EMDASH_TEST_PLUGINS_KEY)} ?? [];`,
  // Same shape as EmDash's generateDialectModule() for the libSQL adapter.
  "virtual:emdash/dialect": [
    `import { createDialect as _createDialect } from "emdash/db/libsql";`,
    "export const createDialect = _createDialect;",
    `export const dialectType = "sqlite";`,
    "export const createRequestScopedDb = (_opts) => null;",
    "export const createCoalescingDialect = undefined;",
  ].join("\n"),
  "virtual:emdash/storage": "export const createStorage = undefined;",
  "virtual:emdash/object-cache":
    "export const createObjectCache = undefined; export const objectCacheConfig = undefined;",
  "virtual:emdash/media-providers": "export const mediaProviders = [];",
  "virtual:emdash/sandbox-runner": [
    `import { createNoopSandboxRunner } from "emdash";`,
    "export const createSandboxRunner = createNoopSandboxRunner;",
    "export const sandboxEnabled = false;",
  ].join("\n"),
  "virtual:emdash/sandboxed-plugins": "export const sandboxedPlugins = [];",
  // A Cloudflare production build: no in-process timer, a Cron Trigger drives scheduled work.
  "virtual:emdash/scheduler": "export const createScheduler = null;",
  "virtual:emdash/wait-until": "export const waitUntil = undefined;",
  "virtual:emdash/env": "export const env = undefined;",
  "virtual:emdash/seed":
    "export const userSeed = null; export const seed = { version: '1', collections: [] };",
  "virtual:emdash/auth": "export const authenticate = undefined;",
  "virtual:emdash/auth-providers": "export const authProviders = {};",
  "virtual:emdash/admin-registry": "export const pluginAdmins = {};",
  "virtual:emdash/block-components": "export const pluginBlockComponents = {};",
  "astro:middleware":
    "export const defineMiddleware = (fn) => fn; export const sequence = (...fns) => fns[0];",
};

/** The Vite plugin (structurally typed so this file needs no `vite` types). */
export function emdashVirtualModules(): {
  name: string;
  enforce: "pre";
  resolveId(id: string): string | undefined;
  load(id: string): string | undefined;
} {
  return {
    name: "mika-test-emdash-virtual-modules",
    enforce: "pre",
    resolveId(id) {
      return id in MODULES ? `\0${id}` : undefined;
    },
    load(id) {
      return id.startsWith("\0") ? MODULES[id.slice(1)] : undefined;
    },
  };
}
