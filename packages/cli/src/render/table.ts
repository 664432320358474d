import Table from "cli-table3";

/** Widest the last (free-text) column gets before its text wraps. */
const LAST_COLUMN_WIDTH = 62;

/** A bordered text table; colored headings only on a terminal; long last-column text wraps. */
export function renderTable(head: string[], rows: string[][], options: { color: boolean }): string {
  const longest = Math.max(
    head.at(-1)?.length ?? 0,
    ...rows.map((row) => (row.at(-1) ?? "").length),
  );
  const colWidths = head.map((_, index) =>
    index === head.length - 1 && longest + 2 > LAST_COLUMN_WIDTH ? LAST_COLUMN_WIDTH : null,
  );
  const table = new Table({
    head,
    colWidths,
    style: { head: options.color ? ["cyan"] : [], border: options.color ? ["grey"] : [] },
    wordWrap: true,
    wrapOnWordBoundary: true,
  });
  for (const row of rows) table.push(row);
  return table.toString();
}
