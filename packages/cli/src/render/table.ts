import Table from "cli-table3";

/** Widest a (free-text) column gets off a terminal before its text wraps. */
const LAST_COLUMN_WIDTH = 62;
/** The free-text column keeps at least this much room before other columns narrow. */
const FREE_TEXT_MIN_WIDTH = 24;
/** No column is squeezed below this, borders and padding included. */
const MIN_COLUMN_WIDTH = 8;

/** How a table is drawn. */
export interface MikaTableOptions {
  color: boolean;
  /** The terminal's width; the table is fitted to it (cells wrap) when given. */
  columns?: number | undefined;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are control characters.
const ANSI = /\u001b\[[0-9;]*m/g;

/** Visible width of a cell's longest line. */
function widthOf(text: string): number {
  return Math.max(
    0,
    ...text
      .replace(ANSI, "")
      .split("\n")
      .map((line) => line.length),
  );
}

/**
 * A bordered text table; coloured headings and borders only with colour. On a terminal the
 * table fits its width: the free-text column wraps first, then the widest narrow; off a
 * terminal a column wraps at 62 characters.
 */
export function renderTable(head: string[], rows: string[][], options: MikaTableOptions): string {
  const natural = head.map(
    (heading, index) =>
      Math.max(widthOf(heading), ...rows.map((row) => widthOf(row[index] ?? ""))) + 2,
  );
  let colWidths: (number | null)[];
  if (options.columns !== undefined && options.columns > 0) {
    const widths = [...natural];
    const available = options.columns - (head.length + 1);
    const total = () => widths.reduce((sum, width) => sum + width, 0);
    // The free-text column (the widest) gives way first, down to FREE_TEXT_MIN_WIDTH.
    const free = natural.indexOf(Math.max(...natural));
    widths[free] = Math.max(FREE_TEXT_MIN_WIDTH, widths[free]! - Math.max(0, total() - available));
    const others = () => widths.map((width, index) => (index === free ? 0 : width));
    while (total() > available) {
      const widest = others().indexOf(Math.max(...others()));
      const target = widths[widest]! > MIN_COLUMN_WIDTH ? widest : free;
      if (widths[target]! <= MIN_COLUMN_WIDTH) break;
      widths[target]! -= 1;
    }
    colWidths = widths;
  } else {
    colWidths = natural.map((width) => (width > LAST_COLUMN_WIDTH ? LAST_COLUMN_WIDTH : null));
  }
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
