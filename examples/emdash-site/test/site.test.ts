/**
 * The example site's wiring: astro.config.mjs loads with the mika descriptor, and the plugin
 * entrypoint it names hands libSQL repositories to createPlugin(), so a cron tick releases
 * expired reservations in the site's libSQL file.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createLibsqlRepositories } from "@mika-maintenance/libsql";
import type { PluginContext } from "emdash";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  aMinuteAgo,
  createScratchDirectory,
} from "../../../packages/emdash/test/support/emdash-database.ts";
import { createFakePluginContext } from "../../../packages/emdash/test/support/fake-plugin-context.ts";
import { seedExpiredReservation } from "../../../packages/emdash/test/support/stock-fixture.ts";

const scratch = createScratchDirectory("mika-example-site-");
const databaseUrl = `file:${scratch.path}/mika-maintenance.db`;

beforeAll(() => {
  vi.stubEnv("MIKA_DATABASE_URL", databaseUrl);
  vi.stubEnv("EMDASH_DATABASE_URL", `file:${scratch.path}/emdash.db`);
});

afterAll(() => {
  vi.unstubAllEnvs();
  scratch.cleanup();
});

describe("astro.config.mjs", () => {
  it("loads, with EmDash and React integrations and the Node adapter", async () => {
    const { default: config } = await import("../astro.config.mjs");
    const names = (config.integrations ?? [])
      .flat()
      .flatMap((integration) => (integration ? [integration.name] : []));
    expect(names).toEqual(expect.arrayContaining(["emdash", "@astrojs/react"]));
    expect(config.adapter?.name).toBe("@astrojs/node");
    expect(config.output).toBe("server");
  });

  it("names a plugin entrypoint that exists", () => {
    expect(
      existsSync(fileURLToPath(new URL("../src/plugins/mika-plugin.ts", import.meta.url))),
    ).toBe(true);
  });
});

describe("src/plugins/mika-plugin.ts", () => {
  it("runs maintenance over the site's libSQL repositories", async () => {
    const { createPlugin } = await import("../src/plugins/mika-plugin.ts");
    // What EmDash's generated plugins module passes: the descriptor options as JSON.
    const plugin = createPlugin({ maintenance: { enabled: true, schedule: "* * * * *" } });

    const store = createLibsqlRepositories({ url: databaseUrl });
    await store.migrate();
    const scheduledAt = aMinuteAgo();
    const seeded = await seedExpiredReservation(store, scheduledAt);

    const ctx = createFakePluginContext();
    await plugin.hooks.cron?.handler(
      { name: "mika_maintenance", scheduledAt },
      ctx as unknown as PluginContext,
    );

    expect(ctx.lines).toContainEqual(
      expect.objectContaining({ level: "info", message: "mika_maintenance finished" }),
    );
    expect(await store.stock.getReservation(seeded.expiredId)).toMatchObject({
      status: "expired",
    });
    expect(await store.stock.getStockItem(seeded.stockItemId)).toMatchObject({
      quantityReserved: 2,
    });
    await store.close();
  });
});
