import { describe, expect, it } from "vitest";
import { rawPayloadCutoff } from "../src/tasks/raw-provider-payloads.ts";

const NOW = "2026-06-21T10:00:00.000Z";

describe("rawPayloadCutoff (what the due-work probe asks with)", () => {
  it("is now minus the retention when one number applies to every provider", () => {
    expect(rawPayloadCutoff(NOW, { rawProviderPayloadRetentionDays: 14 })).toBe(
      "2026-06-07T10:00:00.000Z",
    );
  });

  it("is the latest cutoff of all providers, so the shortest retention is never reported idle", () => {
    const perProvider = { default: 14, stripe: 30, paypal: 1 } as unknown as number;
    expect(rawPayloadCutoff(NOW, { rawProviderPayloadRetentionDays: perProvider })).toBe(
      "2026-06-20T10:00:00.000Z",
    );
  });

  it("is the default's cutoff when every provider keeps its payloads longer", () => {
    const perProvider = { default: 7, stripe: 30 } as unknown as number;
    expect(rawPayloadCutoff(NOW, { rawProviderPayloadRetentionDays: perProvider })).toBe(
      "2026-06-14T10:00:00.000Z",
    );
  });
});
