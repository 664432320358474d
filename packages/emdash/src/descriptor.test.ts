import type { PluginDescriptor } from "emdash";
import { describe, expect, it } from "vitest";
import { MIKA_PLUGIN_ID, MIKA_RUNTIME_ENTRYPOINT } from "./constants.ts";
import { mikaPlugin } from "./descriptor.ts";
import { MikaPluginOptionsError } from "./errors.ts";

function optionsError(run: () => unknown): MikaPluginOptionsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MikaPluginOptionsError);
    return error as MikaPluginOptionsError;
  }
  throw new Error("expected a MikaPluginOptionsError");
}

describe("mikaPlugin()", () => {
  it("returns a native descriptor pointing at the runtime entry", () => {
    const descriptor = mikaPlugin();
    expect(descriptor).toMatchObject({
      id: MIKA_PLUGIN_ID,
      format: "native",
      entrypoint: MIKA_RUNTIME_ENTRYPOINT,
      options: {},
    });
    expect(descriptor.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("fits EmDash's plugins list", () => {
    const plugins: PluginDescriptor[] = [mikaPlugin({ maintenance: { schedule: "@hourly" } })];
    expect(plugins).toHaveLength(1);
  });

  it("carries only serializable maintenance settings", () => {
    const descriptor = mikaPlugin({
      entrypoint: "/srv/site/src/plugins/mika-plugin.ts",
      maintenance: { enabled: true, schedule: "*/5 * * * *" },
    });
    expect(descriptor.entrypoint).toBe("/srv/site/src/plugins/mika-plugin.ts");
    expect(descriptor.options).toEqual({ maintenance: { enabled: true, schedule: "*/5 * * * *" } });
    // EmDash embeds the options with JSON.stringify into generated code.
    expect(JSON.parse(JSON.stringify(descriptor.options))).toEqual(descriptor.options);
  });

  it.each(["* * * * *", "*/5 * * * *", "0 3 * * 1-5", "30 */2 * * * *", "@hourly"])(
    "accepts the cron expression %s",
    (schedule) => {
      expect(mikaPlugin({ maintenance: { schedule } }).options?.maintenance?.schedule).toBe(
        schedule,
      );
    },
  );

  it.each(["every minute", "61 * * * *", "* * * *", "", "2026-06-21T10:00:00Z"])(
    "rejects %j as a schedule, naming the field",
    (schedule) => {
      const error = optionsError(() => mikaPlugin({ maintenance: { schedule } }));
      expect(error.code).toBe("MIKA_PLUGIN_INVALID_OPTIONS");
      expect(error.issues[0]?.path).toBe("maintenance.schedule");
      expect(error.message).toContain("maintenance.schedule: must be a cron expression");
    },
  );

  it("rejects a function where the schedule string belongs", () => {
    const error = optionsError(() =>
      mikaPlugin({ maintenance: { schedule: (() => "* * * * *") as never } }),
    );
    expect(error.message).toContain("maintenance.schedule: expected string, got a function");
    expect(error.message).toContain("createPlugin()");
  });

  it("rejects an object where the enabled flag belongs", () => {
    const error = optionsError(() => mikaPlugin({ maintenance: { enabled: {} as never } }));
    expect(error.issues).toEqual([expect.objectContaining({ path: "maintenance.enabled" })]);
    expect(error.message).toContain("expected boolean, got an object");
  });

  it("leaves runtime values out of the serialized options with one warning naming them", () => {
    const warnings: string[] = [];
    const descriptor = mikaPlugin(
      {
        api: { admin: {} },
        maintenance: {
          enabled: true,
          schedule: "*/5 * * * *",
          repositories: { ops: {} },
          emailOutboxRunner: { runOnce: async () => ({}) },
        },
      },
      (message) => warnings.push(message),
    );
    expect(JSON.parse(JSON.stringify(descriptor.options))).toEqual({
      maintenance: { enabled: true, schedule: "*/5 * * * *" },
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      "left `api`, `maintenance.repositories`, `maintenance.emailOutboxRunner` out of the descriptor",
    );
    expect(warnings[0]).toContain("Pass them to createPlugin() in your plugin entrypoint");
  });

  it("warns nothing when the options are serializable", () => {
    const warnings: string[] = [];
    mikaPlugin({ maintenance: { schedule: "@hourly" } }, (message) => warnings.push(message));
    expect(warnings).toEqual([]);
  });

  it("rejects unknown keys", () => {
    const error = optionsError(() =>
      mikaPlugin({ maintenance: { schedul: "* * * * *" } } as never),
    );
    expect(error.message).toContain("maintenance.schedul: is not a known option");
  });

  it("points createPlugin-only settings at createPlugin()", () => {
    const error = optionsError(() =>
      mikaPlugin({ maintenance: { hookTimeoutMs: 60_000 } } as never),
    );
    expect(error.message).toContain("maintenance.hookTimeoutMs: is a createPlugin() option");
  });
});
