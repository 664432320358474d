import path from "node:path";
import { redactUrl } from "@mika-maintenance/core";
import { MikaCliInputError } from "../errors.ts";

/** The embedded database every command uses when no URL is given anywhere. */
export const DEFAULT_DATABASE_URL = "file:mika-maintenance.db";

/** Where the database URL came from, in the documented order of precedence. */
export type MikaDatabaseUrlSource =
  | "--database-url"
  | "MIKA_DATABASE_URL"
  | "DATABASE_URL"
  | "default";

/** Which adapter a database URL selects, and for an embedded file, where the file lives. */
export type MikaDatabaseTarget = (
  | { adapter: "postgres"; url: string; display: string }
  | { adapter: "libsql"; url: string; display: string; file: string | null }
) & {
  /** Where the URL came from; only a URL someone gave names a file that may be created. */
  source: MikaDatabaseUrlSource;
};

const SCHEMES =
  "postgres://, postgresql://, libsql://, https://, http://, wss://, ws:// or file:<path>";
const REMOTE_LIBSQL = ["libsql://", "https://", "http://", "wss://", "ws://"];

/**
 * Picks the adapter by scheme: `postgres://` and `postgresql://` → Postgres; `libsql://`,
 * `http(s)://`, `ws(s)://` (sqld, Turso) and `file:` → libSQL. Anything else is bad input
 * naming the scheme it got. Messages never show a password or token.
 */
export function parseDatabaseUrl(
  raw: string,
  cwd: string,
  source: MikaDatabaseUrlSource = "--database-url",
): MikaDatabaseTarget {
  const url = raw.trim();
  const name = source === "default" ? "--database-url" : source;
  if (url.length === 0) {
    throw new MikaCliInputError(`${name} is empty; use ${SCHEMES}.`);
  }
  const lower = url.toLowerCase();
  if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
    validUrl(url, name, "Postgres");
    return { adapter: "postgres", url, display: redactUrl(url), source };
  }
  if (REMOTE_LIBSQL.some((scheme) => lower.startsWith(scheme))) {
    validUrl(url, name, "libSQL");
    return { adapter: "libsql", url, display: redactUrl(url), file: null, source };
  }
  if (lower.startsWith("file:")) {
    const file = filePath(url, cwd, name);
    const relative = path.relative(cwd, file);
    const shown =
      relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
    return { adapter: "libsql", url: `file:${file}`, display: `file:${shown}`, file, source };
  }
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1];
  throw new MikaCliInputError(
    scheme
      ? `${name} has an unsupported scheme "${scheme}"; use ${SCHEMES}.`
      : `${name} "${redactUrl(url)}" has no scheme; use ${SCHEMES}.`,
  );
}

function validUrl(url: string, name: string, kind: string): void {
  try {
    new URL(url);
  } catch {
    throw new MikaCliInputError(`${name} is not a valid ${kind} URL: ${redactUrl(url)}.`);
  }
}

function filePath(url: string, cwd: string, name: string): string {
  let rest = url.slice("file:".length);
  if (rest.startsWith("//")) {
    rest = rest.slice(2);
    // `file://host/path` names a host; only the local machine is meaningful here.
    if (!rest.startsWith("/")) {
      throw new MikaCliInputError(
        `${name} "${redactUrl(url)}" names a host; use file:<relative path> or file:///<absolute path>.`,
      );
    }
  }
  if (rest.length === 0) {
    throw new MikaCliInputError(`${name} "${redactUrl(url)}" has no file path after "file:".`);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    throw new MikaCliInputError(
      `${name} "${redactUrl(url)}" has a malformed %-escape in its path; write the path as it is, or escape "%" as %25.`,
    );
  }
  return path.resolve(cwd, decoded);
}
