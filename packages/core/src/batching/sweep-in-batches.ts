import type { MikaBatchSize } from "./adaptive-batch-size.ts";

/** What one bounded batch of a sweep did. */
export interface MikaBatchOutcome {
  /** Rows the batch acted on. */
  count: number;
  /** Whether matching rows were still waiting when the batch committed. */
  more: boolean;
}

/** How the batch loop calls one batch: its size, and whether the limit ends with it. */
export interface MikaBatchRequest {
  size: number;
  /**
   * The limit is spent if this batch comes back full: only then must a full batch answer
   * "anything left?" itself; before that, the next batch answers it.
   */
  last: boolean;
}

/**
 * The batch loop of every SQL sweep, written once: works through up to `limit` rows in
 * batches, each its own short transaction (so no lock outlives a batch), sized by `batchSize`
 * from how long the previous ones took. Stops when the limit is spent, when a batch reports
 * nothing left, or when a batch could take nothing (every candidate is locked by another
 * worker). A limit of 0 runs one empty batch, which only answers "anything left?".
 */
export async function sweepInBatches(
  limit: number,
  batchSize: MikaBatchSize,
  runBatch: (request: MikaBatchRequest) => Promise<MikaBatchOutcome>,
  clock: () => number = () => performance.now(),
): Promise<{ count: number; hasMore: boolean }> {
  let count = 0;
  let remaining = limit;
  for (;;) {
    const size = Math.min(remaining, batchSize.current());
    const started = clock();
    let outcome: MikaBatchOutcome;
    try {
      outcome = await runBatch({ size, last: size === remaining });
    } catch (error) {
      batchSize.failed(size);
      throw error;
    }
    batchSize.finished({ size, rows: outcome.count, ms: clock() - started });
    count += outcome.count;
    remaining -= outcome.count;
    if (!outcome.more) return { count, hasMore: false };
    if (remaining <= 0 || outcome.count === 0) return { count, hasMore: true };
  }
}
