/** What one bounded batch did. */
export interface BatchOutcome {
  /** Rows the batch acted on. */
  count: number;
  /** Whether matching rows were still waiting when the batch committed. */
  more: boolean;
}

/**
 * Works through up to `limit` rows in batches of at most `batchSize`, each batch its own
 * short transaction (so no lock outlives a batch). Stops when the limit is spent, when a batch
 * reports nothing left, or when a batch could take nothing (every candidate is locked by
 * another worker). A limit of 0 runs one empty batch, which only answers "anything left?".
 */
export async function runInBatches(
  limit: number,
  batchSize: number,
  runBatch: (size: number) => Promise<BatchOutcome>,
): Promise<{ count: number; hasMore: boolean }> {
  let count = 0;
  let remaining = limit;
  for (;;) {
    const outcome = await runBatch(Math.min(remaining, batchSize));
    count += outcome.count;
    remaining -= outcome.count;
    if (!outcome.more) return { count, hasMore: false };
    if (remaining <= 0 || outcome.count === 0) return { count, hasMore: true };
  }
}
