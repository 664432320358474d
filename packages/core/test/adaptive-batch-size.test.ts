import { describe, expect, it } from "vitest";
import { createAdaptiveBatchSize, type MikaBatchOutcome, sweepInBatches } from "../src/index.ts";

const SIZING = { initial: 1000, min: 100, max: 8000, budgetMs: 200 };

describe("createAdaptiveBatchSize", () => {
  it("doubles after a full batch well inside the budget, up to max", () => {
    const size = createAdaptiveBatchSize(SIZING);
    for (const expected of [2000, 4000, 8000, 8000]) {
      size.finished({ size: size.current(), rows: size.current(), ms: 10 });
      expect(size.current()).toBe(expected);
    }
  });

  it("holds inside the budget, halves after a batch over it and quarters after a failed one, down to min", () => {
    const size = createAdaptiveBatchSize(SIZING);
    size.finished({ size: 1000, rows: 1000, ms: 150 });
    expect(size.current()).toBe(1000);
    size.finished({ size: 1000, rows: 1000, ms: 201 });
    expect(size.current()).toBe(500);
    size.failed(500);
    expect(size.current()).toBe(125);
    size.failed(125);
    expect(size.current()).toBe(100);
  });

  it("keeps its size after a short batch or a batch cut by the limit", () => {
    const size = createAdaptiveBatchSize(SIZING);
    size.finished({ size: 1000, rows: 10, ms: 1 });
    size.finished({ size: 40, rows: 40, ms: 1 });
    size.finished({ size: 1000, rows: 1000, ms: 80 });
    expect(size.current()).toBe(1000);
  });
});

describe("sweepInBatches", () => {
  it("grows batches from measured durations, stops at the limit and asks only the last full batch", async () => {
    let clock = 0;
    const requests: { size: number; last: boolean }[] = [];
    const result = await sweepInBatches(
      3500,
      createAdaptiveBatchSize(SIZING),
      async (request): Promise<MikaBatchOutcome> => {
        requests.push(request);
        clock += 5;
        return { count: request.size, more: true };
      },
      () => clock,
    );
    expect(requests).toEqual([
      { size: 1000, last: false },
      { size: 2000, last: false },
      { size: 500, last: true },
    ]);
    expect(result).toEqual({ count: 3500, hasMore: true });
  });

  it("shrinks the next call's batches after a batch fails, and rethrows", async () => {
    const size = createAdaptiveBatchSize(SIZING);
    const failure = new Error("canceling statement due to statement timeout");
    await expect(
      sweepInBatches(5000, size, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(size.current()).toBe(250);
  });

  it("a limit of 0 runs one empty batch that answers whether rows are left", async () => {
    const requests: { size: number; last: boolean }[] = [];
    const result = await sweepInBatches(0, createAdaptiveBatchSize(SIZING), async (request) => {
      requests.push(request);
      return { count: 0, more: true };
    });
    expect(requests).toEqual([{ size: 0, last: true }]);
    expect(result).toEqual({ count: 0, hasMore: true });
  });
});
