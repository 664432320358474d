/** The largest limit any single maintenance query accepts. */
export const MIKA_MAX_LIMIT = 100_000;

/**
 * The longest raw-payload retention (100 years): `now` minus it is always a valid date, where
 * `1e308` days made the task fail with "Invalid time value".
 */
export const MIKA_MAX_RETENTION_DAYS = 36_500;
