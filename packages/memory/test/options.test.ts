import { MikaMaintenanceOptionsError } from "@mika-maintenance/core";
import { describe, expect, it } from "vitest";
import { createMemoryRepositories } from "../src/index.ts";

const NOW = "2026-06-21T10:00:00.000Z";

describe("createMemoryRepositories options", () => {
  it("works without options and generates UUIDs", async () => {
    const adapter = createMemoryRepositories();
    const email = await adapter.ops.enqueueEmail({ to: "a@example.test", subject: "s", now: NOW });
    expect(email.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("uses createId for every row created without an id", async () => {
    let next = 0;
    const adapter = createMemoryRepositories({ createId: () => `id-${++next}` });
    const email = await adapter.ops.enqueueEmail({ to: "a@example.test", subject: "s", now: NOW });
    const workflow = await adapter.ops.enqueueWorkflow({ name: "order.fulfil", now: NOW });
    const given = await adapter.ops.enqueueWorkflow({ id: "mine", name: "x", now: NOW });
    expect([email.id, workflow.id, given.id]).toEqual(["id-1", "id-2", "mine"]);
  });

  it.each([
    [null, "options"],
    ["createId", "options"],
    [[], "options"],
    [{ createId: "uuid" }, "createId"],
    [{ createID: () => "x" }, "createID"],
    [{ tablePrefix: "mika_" }, "tablePrefix"],
  ])("rejects %j naming the field %s", (options, field) => {
    let caught: unknown;
    try {
      createMemoryRepositories(options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MikaMaintenanceOptionsError);
    expect(caught).toMatchObject({ code: "MIKA_INVALID_OPTIONS", field });
    expect((caught as Error).message).toContain(field === "options" ? "object" : field);
  });

  it("accepts an explicit undefined createId", () => {
    expect(() => createMemoryRepositories({ createId: undefined })).not.toThrow();
  });

  it("rejects a createId that returns no string when a row needs an id", async () => {
    const adapter = createMemoryRepositories({ createId: () => "" });
    await expect(
      adapter.ops.enqueueEmail({ to: "a@example.test", subject: "s", now: NOW }),
    ).rejects.toMatchObject({ code: "MIKA_INVALID_INPUT", field: "createId" });
  });

  it("has no migrations and a harmless close", async () => {
    const adapter = createMemoryRepositories();
    expect(await adapter.migrationStatus()).toEqual({ applied: [], pending: [] });
    expect(await adapter.migrate()).toEqual({ applied: [], pending: [] });
    await adapter.close();
    await adapter.close();
  });
});
