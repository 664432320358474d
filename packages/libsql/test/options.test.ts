import { createClient } from "@libsql/client";
import { MikaMaintenanceOptionsError } from "@mika-maintenance/core";
import { describe, expect, it } from "vitest";
import { createLibsqlRepositories, MikaLibsqlOptionsError } from "../src/index.ts";
import { resolveLibsqlOptions } from "../src/options.ts";
import { createMikaSqliteSchema } from "../src/schema-entry.ts";

function optionsError(options: unknown): MikaLibsqlOptionsError {
  try {
    createLibsqlRepositories(options as never);
  } catch (error) {
    expect(error).toBeInstanceOf(MikaLibsqlOptionsError);
    return error as MikaLibsqlOptionsError;
  }
  throw new Error("expected createLibsqlRepositories to reject the options");
}

describe("createLibsqlRepositories options", () => {
  it("defaults to the embedded file mika-maintenance.db, prefix mika_, 5 s busy timeout", () => {
    expect(resolveLibsqlOptions(undefined)).toEqual({
      kind: "url",
      url: "file:mika-maintenance.db",
      synchronous: "full",
      tablePrefix: "mika_",
      busyTimeoutMs: 5_000,
    });
  });

  it("accepts a client, a file, :memory: and remote URLs with a token", () => {
    const client = createClient({ url: ":memory:" });
    expect(resolveLibsqlOptions({ client, tablePrefix: "shop_" })).toMatchObject({
      kind: "client",
      tablePrefix: "shop_",
    });
    client.close();
    for (const url of ["file:/tmp/x.db", ":memory:", "file::memory:"]) {
      expect(resolveLibsqlOptions({ url })).toMatchObject({ kind: "url", url });
    }
    for (const url of [
      "libsql://shop.turso.io",
      "https://db.example.com",
      "wss://db.example.com",
    ]) {
      expect(resolveLibsqlOptions({ url, authToken: "token" })).toMatchObject({
        url,
        authToken: "token",
      });
    }
    expect(resolveLibsqlOptions({ tablePrefix: "" }).tablePrefix).toBe("");
  });

  it.each([
    ["a dash", "mika-"],
    ["a leading digit", "1mika_"],
    ["a space", "mika maint_"],
    ["a quote (SQL injection)", 'x"; drop table users; --'],
    ["a number", 5],
    ["more than 40 characters", "m".repeat(41)],
  ])(
    "rejects a tablePrefix with %s, naming the field and what is allowed",
    (_case, tablePrefix) => {
      const error = optionsError({ tablePrefix });
      expect(error.code).toBe("MIKA_INVALID_OPTIONS");
      expect(error.field).toBe("tablePrefix");
      expect(error.message).toContain("tablePrefix");
      expect(error.message).toMatch(/letters, digits and underscores|at most 40|must be a string/);
    },
  );

  it.each([
    [{ url: "postgres://localhost/db" }, "url", /"file:<path>", ":memory:", or a remote/],
    [{ url: 42 }, "url", /must be a string URL/],
    [{ client: { execute: 1 } }, "client", /@libsql\/client Client/],
    [
      { client: createClient({ url: ":memory:" }), url: "file:x.db" },
      "url",
      /either a client or a url/,
    ],
    [{ url: "file:x.db", authToken: "t" }, "authToken", /only applies to a remote url/],
    [{ url: "libsql://x.turso.io", authToken: "" }, "authToken", /must not be empty/],
    [{ busyTimeoutMs: -1 }, "busyTimeoutMs", />= 0/],
    [{ busyTimeoutMs: 1.5 }, "busyTimeoutMs", /whole number/],
    [{ synchronous: "off" }, "synchronous", /"full" or "normal"/],
    [
      { client: createClient({ url: ":memory:" }), synchronous: "normal" },
      "synchronous",
      /cannot be combined with client/,
    ],
    [{ uri: "file:x.db" }, "uri", /is not an option; allowed: client, url, authToken/],
    ["file:x.db", "options", /must be an options object/],
  ])("rejects %o with an error naming %s", (options, field, message) => {
    const error = optionsError(options);
    expect(error.field).toBe(field);
    expect(error.issues.map((issue) => issue.field)).toContain(field);
    expect(error.message).toContain(field === "options" ? "options" : field);
    expect(error.message).toMatch(message);
  });

  it("validates the prefix of the exported drizzle schema factory the same way", () => {
    // The factory is the one the libSQL and D1 adapters share: core's options error, same field.
    expect(() => createMikaSqliteSchema('x"')).toThrow(
      expect.objectContaining({ code: "MIKA_INVALID_OPTIONS", field: "tablePrefix" }),
    );
    expect(() => createMikaSqliteSchema('x"')).toThrow(MikaMaintenanceOptionsError);
    expect(createMikaSqliteSchema("shop_").emailOutbox).toBeDefined();
  });
});
