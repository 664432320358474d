/** The prefix of every table name unless `tablePrefix` says otherwise. */
export const MIKA_SQLITE_DEFAULT_TABLE_PREFIX = "mika_";

/** The `skipReason` of a queued or failed email an erasure stopped. */
export const ERASED_EMAIL_SKIP_REASON =
  "Erased by an account-delete request before it was sent; contents redacted.";
