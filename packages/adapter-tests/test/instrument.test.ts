import type { MikaRepositories } from "@mika-maintenance/core";
import { describe, expect, it } from "vitest";
import { instrumentRepositories } from "../src/support/instrument.ts";

function fakeRepositories(): MikaRepositories {
  const ephemeral = {
    deleted: 0,
    async deleteTokensBySubjectHashes(this: { deleted: number }) {
      this.deleted += 1;
      return this.deleted;
    },
  };
  return { ephemeral } as unknown as MikaRepositories;
}

describe("instrumentRepositories", () => {
  it("counts calls, fires an armed fault once before the store, and keeps `this`", async () => {
    const instrumented = instrumentRepositories(fakeRepositories());
    const port = instrumented.repositories.ephemeral;
    instrumented.failOnce({
      port: "ephemeral",
      method: "deleteTokensBySubjectHashes",
      error: new Error("injected"),
    });
    await expect(port.deleteTokensBySubjectHashes({ subjectHashes: [] })).rejects.toThrow(
      "injected",
    );
    expect(await port.deleteTokensBySubjectHashes({ subjectHashes: [] })).toBe(1);
    expect(await port.deleteTokensBySubjectHashes({ subjectHashes: [] })).toBe(2);
    expect(instrumented.succeeded("ephemeral.deleteTokensBySubjectHashes")).toBe(2);
    expect(instrumented.threw("ephemeral.deleteTokensBySubjectHashes")).toBe(1);
  });
});
