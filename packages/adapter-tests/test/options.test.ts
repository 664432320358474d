import { describe, expect, it } from "vitest";
import { MikaConformanceOptionsError, runAdapterConformance } from "../src/index.ts";

const createRepositories = () => Promise.reject(new Error("never called"));

describe("runAdapterConformance options", () => {
  it.each([
    [{ name: "", createRepositories }, "name"],
    [{ name: "x", createRepositories: undefined }, "createRepositories"],
    [{ name: "x", createRepositories, capabilities: { stok: {} } }, "capabilities.stok"],
    [
      { name: "x", createRepositories, capabilities: { stock: { supported: true } } },
      "capabilities.stock",
    ],
    [
      { name: "x", createRepositories, capabilities: { stock: { supported: false, reason: " " } } },
      "capabilities.stock.reason",
    ],
  ])("rejects invalid options naming the field (%#)", (options, field) => {
    let thrown: unknown;
    try {
      runAdapterConformance(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MikaConformanceOptionsError);
    expect((thrown as MikaConformanceOptionsError).field).toBe(field);
  });
});
