import path from "node:path";
import { MikaCliInputError } from "../errors.ts";

/** The embedded database every command uses when no `--database-url` is given. */
export const DEFAULT_DATABASE_URL = "file:mika-maintenance.db";

/** Which adapter a database URL selects, and for an embedded file, where the file lives. */
export type MikaDatabaseTarget =
  | { adapter: "postgres"; url: string; display: string }
  | { adapter: "libsql"; url: string; display: string; file: string | null };

const SCHEMES = "postgres://, postgresql://, libsql:// or file:<path>";

/**
 * Picks the adapter by scheme: `postgres://` and `postgresql://` → Postgres; `libsql://` and
 * `file:` → libSQL. Anything else is bad input naming the scheme it got.
 */
export function parseDatabaseUrl(raw: string, cwd: string): MikaDatabaseTarget {
  const url = raw.trim();
  if (url.length === 0) {
    throw new MikaCliInputError(`--database-url is empty; use ${SCHEMES}.`);
  }
  const lower = url.toLowerCase();
  if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
    try {
      new URL(url);
    } catch {
      throw new MikaCliInputError(`--database-url is not a valid Postgres URL: ${redact(url)}.`);
    }
    return { adapter: "postgres", url, display: redact(url) };
  }
  if (lower.startsWith("libsql://")) {
    return { adapter: "libsql", url, display: redact(url), file: null };
  }
  if (lower.startsWith("file:")) {
    const file = filePath(url, cwd);
    const relative = path.relative(cwd, file);
    const shown =
      relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
    return { adapter: "libsql", url: `file:${file}`, display: `file:${shown}`, file };
  }
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1];
  throw new MikaCliInputError(
    scheme
      ? `--database-url has an unsupported scheme "${scheme}"; use ${SCHEMES}.`
      : `--database-url "${url}" has no scheme; use ${SCHEMES}.`,
  );
}

function filePath(url: string, cwd: string): string {
  let rest = url.slice("file:".length);
  if (rest.startsWith("//")) {
    rest = rest.slice(2);
    // `file://host/path` names a host; only the local machine is meaningful here.
    if (!rest.startsWith("/")) {
      throw new MikaCliInputError(
        `--database-url "${url}" names a host; use file:<relative path> or file:///<absolute path>.`,
      );
    }
  }
  if (rest.length === 0) {
    throw new MikaCliInputError(`--database-url "${url}" has no file path after "file:".`);
  }
  return path.resolve(cwd, decodeURIComponent(rest));
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
  }
}
