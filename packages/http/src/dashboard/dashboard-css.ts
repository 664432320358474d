/** The page's stylesheet: light and dark from the system, a table at 1280 px, cards on a phone. */
export const DASHBOARD_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --text: #1b1f24; --muted: #5b6572; --line: #d9dee5;
  --good: #137333; --bad: #b3261e; --warn: #8a5300; --accent: #1f5fbf; --spark: #6b8fd6;
  --badge-bg: #eef1f5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #101317; --panel: #181c22; --text: #e6e9ee; --muted: #9aa4b2; --line: #2c333d;
    --good: #6fcf8a; --bad: #ff8a80; --warn: #f0b458; --accent: #8ab4f8; --spark: #7f9fe0;
    --badge-bg: #242a33;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 12px 20px;
  background: var(--panel); border-bottom: 1px solid var(--line); }
.top h1 { font-size: 18px; margin: 0; }
.live { margin: 0; color: var(--muted); }
.live .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--good);
  margin-right: 6px; }
body.offline .live .dot { background: var(--bad); }
.token { margin-left: auto; display: flex; gap: 6px; align-items: center; }
.token input { font: inherit; padding: 4px 6px; border: 1px solid var(--line); border-radius: 4px;
  background: var(--bg); color: var(--text); width: 14em; }
.readonly { margin: 0 0 0 auto; color: var(--muted); }
main { padding: 12px 20px 24px; max-width: 1400px; margin: 0 auto; }
.updated { color: var(--muted); margin: 0 0 8px; }
.action-result { margin: 8px 20px 0; min-height: 1.2em; }
h2 { font-size: 15px; margin: 20px 0 8px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 4px 14px 12px;
  margin-bottom: 14px; overflow-x: auto; }
.summary { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; padding: 12px 14px; }
.tile .label { display: block; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.tile strong { font-size: 16px; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.columns > section { margin-bottom: 14px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { color: var(--muted); font-weight: 600; font-size: 12px; }
tbody th { font-weight: 600; }
.num { font-variant-numeric: tabular-nums; }
.muted { color: var(--muted); }
.good { color: var(--good); }
.bad { color: var(--bad); }
.kind { display: inline-block; font-size: 11px; font-weight: 500; color: var(--muted); border: 1px solid var(--line);
  border-radius: 10px; padding: 0 6px; margin-left: 2px; }
.badge { display: inline-block; border-radius: 10px; padding: 1px 8px; font-size: 12px; background: var(--badge-bg); white-space: nowrap; }
td[data-label="Every"] { white-space: nowrap; }
.badge-ok { color: var(--good); }
.badge-failed, .badge-abandoned, .badge-overdue { color: var(--panel); background: var(--bad); }
.badge-paused, .badge-skipped, .badge-never_ran { color: var(--warn); }
.badge-disabled { color: var(--muted); }
.status { font-size: 12px; }
.status-failed, .status-abandoned { color: var(--bad); font-weight: 600; }
.status-completed { color: var(--good); }
.error, .error-text { color: var(--bad); font-size: 12px; word-break: break-word; }
.sparkline .spark-hit { fill: transparent; }
.sparkline .spark-moved { fill: var(--spark); }
.sparkline .spark-pass { fill: var(--line); }
.sparkline .spark-fail { fill: var(--bad); }
.trendline { vertical-align: middle; margin-left: 6px; }
.trendline polyline { fill: none; stroke: var(--spark); stroke-width: 1.5; }
.actions { white-space: nowrap; }
button { font: inherit; padding: 3px 10px; border-radius: 4px; border: 1px solid var(--accent); color: var(--accent);
  background: transparent; cursor: pointer; }
button:hover:not([disabled]) { background: var(--accent); color: var(--panel); }
button:focus-visible, input:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
button[disabled] { opacity: .5; cursor: default; }
tr.stale th, tr.stale td { color: var(--muted); }
.alert { border: 1px solid var(--bad); color: var(--bad); border-radius: 8px; padding: 8px 14px; margin-bottom: 12px; }
.foot { color: var(--muted); padding: 0 20px 20px; max-width: 1400px; margin: 0 auto; }
a { color: var(--accent); }
@media (max-width: 900px) {
  .columns { grid-template-columns: 1fr; }
  .summary { grid-template-columns: 1fr 1fr; }
}
@media (max-width: 640px) {
  .top, main { padding-left: 10px; padding-right: 10px; }
  .token { margin-left: 0; width: 100%; }
  .token input { flex: 1; width: auto; }
  table.lanes thead, table.failures thead { display: none; }
  table.lanes, table.lanes tbody, table.lanes tr, table.lanes th, table.lanes td,
  table.failures, table.failures tbody, table.failures tr, table.failures th, table.failures td {
    display: block; width: 100%; }
  table.lanes tr, table.failures tr { border-bottom: 1px solid var(--line); padding: 8px 0; }
  table.lanes th, table.lanes td, table.failures th, table.failures td { border: 0; padding: 2px 0; }
  table.lanes td::before, table.failures td::before { content: attr(data-label); display: inline-block;
    min-width: 6.5em; color: var(--muted); font-size: 12px; }
  section { padding: 4px 10px 10px; }
}
`;
