import Table from "cli-table3";

/** A bordered text table; colored headings only on a terminal. */
export function renderTable(head: string[], rows: string[][], options: { color: boolean }): string {
  const table = new Table({
    head,
    style: { head: options.color ? ["cyan"] : [], border: options.color ? ["grey"] : [] },
    wordWrap: true,
  });
  for (const row of rows) table.push(row);
  return table.toString();
}
