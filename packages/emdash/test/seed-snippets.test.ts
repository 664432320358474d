/**
 * The upstream guide's snippets, as written (package name replaced): the plugin module
 * `src/plugins/mika-plugin.ts` and the descriptor call `mikaPlugin({ api, maintenance })`.
 */
import type { PluginContext } from "emdash";
import { describe, expect, it } from "vitest";
import { createPlugin as createPluginFromRoot, mikaPlugin } from "../src/index.ts";
import { createPlugin as createPluginFromRuntime } from "../src/runtime.ts";

// Loaded by path, not followed by this package's tsc: the seed imports without file extensions
// (bundler resolution), which this package's NodeNext settings reject. Vitest resolves it as
// Astro's Vite would; examples/emdash-site type-checks the same module with bundler resolution.
const SEED_API = "./fixtures/seed-site/src/lib/mika-api.ts";
const SEED_PLUGIN = "./fixtures/seed-site/src/plugins/mika-plugin.ts";
const { api, releasedAt } = (await import(/* @vite-ignore */ SEED_API)) as {
  api: { admin: object };
  releasedAt: string[];
};
const { createPlugin } = (await import(/* @vite-ignore */ SEED_PLUGIN)) as {
  createPlugin: typeof createPluginFromRoot;
};

import { createFakePluginContext } from "./support/fake-plugin-context.ts";

describe("the seed's snippets", () => {
  it("the root entry exports createPlugin, and /runtime still does", () => {
    expect(createPluginFromRoot).toBe(createPluginFromRuntime);
  });

  it("mikaPlugin({ api, maintenance }) works and warns once that api belongs in createPlugin()", () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      const descriptor = mikaPlugin({
        api,
        maintenance: { enabled: true, schedule: "*/5 * * * *" },
      });
      // What EmDash writes into its generated plugins module.
      expect(JSON.parse(JSON.stringify(descriptor.options))).toEqual({
        maintenance: { enabled: true, schedule: "*/5 * * * *" },
      });
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([expect.stringContaining("left `api` out of the descriptor")]);
    expect(warnings[0]).toContain("Pass it to createPlugin() in your plugin entrypoint");
  });

  it("the seed's plugin module hands api, repositories and the email runner to the sweep", async () => {
    // EmDash calls the entrypoint's createPlugin with the descriptor's options as JSON.
    const plugin = createPlugin({ maintenance: { enabled: true, schedule: "*/5 * * * *" } });
    const ctx = createFakePluginContext();
    await plugin.hooks.cron?.handler(
      { name: "mika_maintenance", scheduledAt: "2026-06-21T10:05:00.000Z" },
      ctx as unknown as PluginContext,
    );
    expect(ctx.tasks.get("mika_maintenance")?.schedule).toBe("*/5 * * * *");
    expect(releasedAt).toEqual(["2026-06-21T10:05:00.000Z"]);
    const finished = ctx.lines.find((line) => line.message === "mika_maintenance finished");
    // Every task ran: the api, the repositories and the email runner all arrived.
    expect(finished?.data).toMatchObject({ skipped: "none", failed: "none" });
  });
});
