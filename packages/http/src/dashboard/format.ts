/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A duration with its unit: `350 ms`, `1.2 s`, `3 min 5 s`, `2 h 4 min`, `3 d 2 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(abs)} ms`;
  if (abs < 10_000) return `${(abs / 1_000).toFixed(1)} s`;
  if (abs < 60_000) return `${Math.round(abs / 1_000)} s`;
  const minutes = Math.floor(abs / 60_000);
  if (minutes < 60) {
    const seconds = Math.round((abs % 60_000) / 1_000);
    return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** `12 s ago` or `in 3 min`, relative to `nowMs`. */
export function formatRelative(iso: string, nowMs: number): string {
  const delta = Date.parse(iso) - nowMs;
  if (Math.abs(delta) < 1_000) return "now";
  return delta < 0 ? `${formatDuration(-delta)} ago` : `in ${formatDuration(delta)}`;
}

/** An absolute UTC time for a tooltip: `2026-11-29 03:12:01 UTC`. */
export function formatAbsolute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** A `<time>` element: relative text, absolute time on hover, kept fresh by the page script. */
export function timeElement(iso: string | null, nowMs: number, fallback = "never"): string {
  if (!iso) return `<span class="muted">${escapeHtml(fallback)}</span>`;
  return `<time datetime="${escapeHtml(iso)}" title="${escapeHtml(formatAbsolute(iso))}" data-relative>${escapeHtml(formatRelative(iso, nowMs))}</time>`;
}

/** A count with thousands separators and a unit word: `1,234 items`. */
export function formatCount(count: number, unit: string, plural = `${unit}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? unit : plural}`;
}
