import type { Cell } from "./store.ts";

/**
 * A cell as a SQLite expression over the row number `i`, for the recursive-CTE loads of
 * libSQL and D1; times are integer milliseconds, as the SQLite adapters store them.
 */
export function renderSqliteCell(cell: Cell): string {
  if (cell === null) return "NULL";
  if (typeof cell === "number") return String(cell);
  if (typeof cell === "string") return quote(cell);
  if ("sql" in cell) return `(${cell.sql})`;
  if ("json" in cell) return quote(JSON.stringify(cell.json));
  if ("when" in cell) {
    return `CASE WHEN ${cell.when} THEN ${renderSqliteCell(cell.value)} ELSE ${renderSqliteCell(cell.otherwise)} END`;
  }
  const base = Date.parse(cell.at);
  return cell.stepMs ? `CAST(${base} + i * (${cell.stepMs}) AS INTEGER)` : String(base);
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
