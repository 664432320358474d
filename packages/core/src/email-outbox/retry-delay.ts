import type { MikaRetryDelay } from "./types.ts";

const BASE_DELAY_MS = 60_000;
const MAX_DELAY_MS = 15 * 60_000;

/** Default backoff: one minute, doubling per attempt, capped at 15 minutes. */
export const defaultEmailRetryDelay: MikaRetryDelay = ({ attemptCount }) =>
  Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attemptCount - 1), MAX_DELAY_MS);
