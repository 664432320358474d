import { describe, expect, it } from "vitest";
import { findInDump } from "../src/support/pii-scan.ts";

describe("findInDump", () => {
  it("finds a value in plain, nested, JSON-text and binary columns, case-insensitively", () => {
    const dump = {
      customers: [{ id: "c1", email: "Ada@Example.test" }],
      orders: [{ id: "o1", snapshot: { billing: [{ vat: "GB123" }] } }],
      emails: [{ id: "e1", metadata: '{"link":"https://x.test/?e=ada@example.test"}' }],
      blobs: [{ id: "b1", payload: new TextEncoder().encode("vat GB123 inside") }],
      clean: [{ id: "k1", when: new Date("2026-01-01T00:00:00.000Z"), n: 1 }],
    };
    const matches = findInDump(dump, ["ada@example.test", "GB123"]);
    expect(matches).toEqual([
      { needle: "ada@example.test", table: "customers", row: 0, path: "email" },
      { needle: "GB123", table: "orders", row: 0, path: "snapshot.billing[0].vat" },
      { needle: "ada@example.test", table: "emails", row: 0, path: "metadata" },
      { needle: "GB123", table: "blobs", row: 0, path: "payload" },
    ]);
    expect(findInDump(dump, ["nobody@example.test"])).toEqual([]);
  });
});
