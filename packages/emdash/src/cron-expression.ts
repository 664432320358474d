import { Cron } from "croner";

/**
 * True when EmDash can run `expression` as a recurring schedule. EmDash parses schedules with
 * croner and treats anything croner accepts as recurring, so this uses the same parser: 5-field
 * cron, 6-field with seconds, and aliases such as `@hourly`.
 */
export function isValidCronExpression(expression: string): boolean {
  if (expression.length === 0 || expression.length > 256) return false;
  try {
    const job = new Cron(expression, { paused: true });
    const next = job.nextRun();
    job.stop();
    return next !== null;
  } catch {
    return false;
  }
}
