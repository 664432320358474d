// `@mika-maintenance/d1/schema`: the drizzle tables, for hosts that manage their schema with
// drizzle-kit. The tables are the SQLite ones the libSQL and D1 adapters share.
export * from "@mika-maintenance/sqlite/schema";
