// `@mika-maintenance/sqlite/testing`: what an adapter's conformance test needs from a SQLite
// store besides the ports (a backdoor reader and writer over the test's own connection).
export {
  createSqliteBackdoor,
  type MikaSqliteMalformedTarget,
  type MikaSqliteMalformedWrite,
  type MikaSqliteRawExecute,
} from "./backdoor.ts";
