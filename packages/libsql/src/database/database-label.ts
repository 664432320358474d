import { isAbsolute, resolve } from "node:path";
import { redactUrl } from "@mika-maintenance/core";

/**
 * How an operator recognises the database behind a URL in an error: the file path for
 * `file:` URLs, `:memory:`, or the remote URL without its query (which may hold a token) and
 * with its user-info password masked.
 */
export function databaseLabel(url: string): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  if (url.toLowerCase().startsWith("file:")) {
    let path = url.slice("file:".length).split("?")[0] ?? "";
    if (path.startsWith("//")) path = path.slice(2);
    try {
      path = decodeURIComponent(path);
    } catch {
      // keep the raw path when it is not valid percent-encoding
    }
    return isAbsolute(path) ? path : resolve(path);
  }
  return redactUrl(url.split("?")[0] ?? url);
}
