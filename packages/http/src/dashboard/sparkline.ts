import type { MikaLaneHistoryBucket } from "./dashboard-model.ts";
import { escapeHtml, formatCount } from "./format.ts";

const WIDTH = 144;
const HEIGHT = 30;

/**
 * An inline SVG of a lane's last 24 h from the store's hourly rollup: one bar per hour for
 * moved items, a red mark under the hours with failures (each hour's figures also sit in its
 * `data-*` attributes, for tools and tests). Each bar names its hour and counts on hover; the whole chart has
 * an accessible name with the totals.
 */
export function renderSparkline(
  lane: string,
  buckets: MikaLaneHistoryBucket[],
  totals: { passes: number; moved: number; failures: number },
): string {
  const max = Math.max(1, ...buckets.map((bucket) => bucket.moved));
  const barWidth = WIDTH / Math.max(1, buckets.length);
  const label = `${lane}, last 24 h: ${formatCount(totals.moved, "item")} moved in ${formatCount(totals.passes, "pass", "passes")}, ${formatCount(totals.failures, "failure")}`;
  const bars = buckets
    .map((bucket, index) => {
      const x = (index * barWidth).toFixed(1);
      const height = bucket.moved > 0 ? Math.max(2, (bucket.moved / max) * (HEIGHT - 6)) : 0;
      const hour = bucket.startAt.slice(11, 16);
      const title = `${hour} UTC: ${formatCount(bucket.moved, "item")} moved, ${formatCount(bucket.passes, "pass", "passes")}, ${formatCount(bucket.failures, "failure")}`;
      const passMark =
        bucket.passes > 0
          ? `<rect class="spark-pass" x="${x}" y="${HEIGHT - 5}" width="${(barWidth - 1).toFixed(1)}" height="1"/>`
          : "";
      const failMark =
        bucket.failures > 0
          ? `<rect class="spark-fail" x="${x}" y="${HEIGHT - 3}" width="${(barWidth - 1).toFixed(1)}" height="3"/>`
          : "";
      return `<g data-hour="${escapeHtml(bucket.startAt)}" data-moved="${bucket.moved}" data-failures="${bucket.failures}" data-passes="${bucket.passes}"><title>${escapeHtml(title)}</title><rect class="spark-hit" x="${x}" y="0" width="${barWidth.toFixed(1)}" height="${HEIGHT}"/><rect class="spark-moved" x="${x}" y="${(HEIGHT - 6 - height).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${height.toFixed(1)}"/>${passMark}${failMark}</g>`;
    })
    .join("");
  return `<svg class="sparkline" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(label)}" data-moved="${totals.moved}" data-failures="${totals.failures}" data-passes="${totals.passes}">${bars}</svg>`;
}

/** A small line of recent backlog counts (oldest first). */
export function renderTrendLine(label: string, samples: number[]): string {
  if (samples.length < 2) return "";
  const max = Math.max(1, ...samples);
  const step = 60 / (samples.length - 1);
  const points = samples
    .map((value, index) => `${(index * step).toFixed(1)},${(18 - (value / max) * 16).toFixed(1)}`)
    .join(" ");
  return `<svg class="trendline" viewBox="0 0 60 20" width="60" height="20" role="img" aria-label="${escapeHtml(label)}"><polyline points="${points}"/></svg>`;
}
