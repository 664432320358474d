/**
 * Why a target was missed and what fixes it, by result key and adapter (`any` for both). The
 * report prints an entry only when that result misses its target in the run being written.
 */
export const ANALYSIS: Record<string, Record<string, string>> = {};
