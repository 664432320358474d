/**
 * How many rows the next batch of a sweep takes. Grows while batches finish well inside the
 * transaction budget and shrinks after a slow or failed one, as River's cleaner does, so a
 * sweep uses the biggest batches the database serves quickly without one long transaction.
 */
export interface MikaBatchSize {
  /** Rows the next batch may take. */
  current(): number;
  /** A batch that took `rows` of the `size` it was given finished after `ms` milliseconds. */
  finished(outcome: { size: number; rows: number; ms: number }): void;
  /** A batch of `size` rows failed (e.g. a statement timeout): the next one is smaller. */
  failed(size: number): void;
}

/** Bounds and budget of an adaptive batch size. */
export interface MikaAdaptiveBatchSizeOptions {
  /** The first batch's size. */
  initial: number;
  /** Never smaller than this. */
  min: number;
  /** Never bigger than this. */
  max: number;
  /** The longest a batch's transaction should take, in milliseconds. */
  budgetMs: number;
}

/** The sizing every SQL adapter starts from: 1,000 rows, 100 … 10,000, 250 ms per batch. */
export const MIKA_SWEEP_BATCH_SIZING: Readonly<MikaAdaptiveBatchSizeOptions> = Object.freeze({
  initial: 1000,
  min: 100,
  max: 10_000,
  budgetMs: 250,
});

/**
 * An adaptive batch size: a full batch under a quarter of the budget doubles the size (up to
 * `max`); a batch over the budget halves it, a failed one quarters it (down to `min`). Between
 * the two the size holds, so a loaded database does not shrink batches that still fit.
 * Short batches say nothing about speed at the full size, so they leave it alone.
 */
export function createAdaptiveBatchSize(options: MikaAdaptiveBatchSizeOptions): MikaBatchSize {
  const { min, max, budgetMs } = options;
  let size = Math.min(max, Math.max(min, Math.round(options.initial)));
  return {
    current: () => size,
    finished({ size: given, rows, ms }) {
      if (ms > budgetMs) size = Math.max(min, Math.floor(Math.min(size, given) / 2));
      else if (rows >= given && given >= size && ms < budgetMs / 4) size = Math.min(max, size * 2);
    },
    failed(given) {
      size = Math.max(min, Math.floor(Math.min(size, given) / 4));
    },
  };
}

/** A batch size that never changes (a host that set one explicitly). */
export function fixedBatchSize(size: number): MikaBatchSize {
  return { current: () => size, finished() {}, failed() {} };
}
